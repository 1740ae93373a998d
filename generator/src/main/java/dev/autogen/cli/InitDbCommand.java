package dev.autogen.cli;

import dev.autogen.db.DatabaseUnavailableException;
import dev.autogen.db.DatabaseUrl;
import dev.autogen.db.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code autogen initdb}: creates automx2's tables (and optionally its sample data) in an empty database. The
 * replacement for automx2's unauthenticated {@code /initdb/} endpoint; it never drops or changes existing data.
 */
@Command(name = "initdb", mixinStandardHelpOptions = true,
        description = {"Create automx2's database schema (tables exactly as automx2 creates them, so automx2 can keep"
                + " using the database), optionally with automx2's sample data.",
                "Only an empty database is changed: existing tables and rows are never dropped or modified."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (or the tables already exist and nothing was asked)",
                "2:wrong command line",
                "3:refused: the database holds part of the schema, or data where --sample would go",
                "4:the database cannot be reached (URL, server, credentials)"})
public final class InitDbCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--db", required = true, paramLabel = "URL",
            description = "Database: a JDBC URL (jdbc:sqlite:/path, jdbc:postgresql://host/db, jdbc:mariadb://host/db)"
                    + " or automx2's db_uri (sqlite:////path, postgresql://user:pass@host/db, mysql://user:pass@host/db).")
    String db;

    @Option(names = "--sample", description = "Also insert automx2's sample data (Big Corporation, Ham & Eggs, Some"
            + " Other Provider), for trying things out.")
    boolean sample;

    @Override
    public Integer call() {
        try {
            DatabaseUrl url = DatabaseUrl.parse(db);
            spec.commandLine().getOut().println(Schema.initialize(url, sample));
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (Schema.RefusedException e) {
            return error("autogen initdb: " + e.getMessage(), ExitCodes.INVALID_INPUT);
        } catch (DatabaseUnavailableException e) {
            return error("autogen initdb: " + e.getMessage(), ExitCodes.SOURCE_UNAVAILABLE);
        }
    }

    private int error(String message, int code) {
        spec.commandLine().getErr().println(message);
        spec.commandLine().getErr().flush();
        return code;
    }
}
