package dev.autogen.cli;

import dev.autogen.text.IoErrors;

import dev.autogen.config.ConfigException;
import dev.autogen.config.SourceLocations;
import dev.autogen.config.YamlSource;
import dev.autogen.db.Automx2Config;
import dev.autogen.db.DatabaseSource;
import dev.autogen.model.Site;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Consumer;

/** Where the site description comes from: a YAML file, a database URL, or the database named by automx2's config. */
final class SourceOptions {
    /** Stands for "--automx2-conf without a file": use automx2's own search order. */
    private static final String SEARCH_ORDER = "";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "The site description (YAML).")
    Path config;

    @Option(names = "--db", paramLabel = "URL",
            description = "Read automx2's database instead: a JDBC URL or automx2's SQLAlchemy URL "
                    + "(sqlite:////var/lib/automx2/db.sqlite, postgresql://user:pw@host/db, mysql://...).")
    String db;

    @Option(names = "--automx2-conf", paramLabel = "FILE", arity = "0..1", fallbackValue = SEARCH_ORDER,
            description = "Read the database named by db_uri in automx2's config file; without FILE: "
                    + "$AUTOMX2_CONF, ~/.automx2.conf, /etc/automx2/automx2.conf, /etc/automx2.conf.")
    String automx2Conf;

    @Option(names = "--strict", description = "Database: an invalid row is an error instead of being skipped "
            + "with a warning (YAML input is always strict). render: any warning check would print refuses the "
            + "render (exit 6, the site unchanged).")
    boolean strict;

    /** Exactly one source must be given; anything else is a usage error. */
    void validate() {
        int sources = (config != null ? 1 : 0) + (db != null ? 1 : 0) + (automx2Conf != null ? 1 : 0);
        if (sources != 1) {
            throw new ParameterException(spec.commandLine(), sources == 0
                    ? "no input: give CONFIG.yaml, --db URL or --automx2-conf [FILE]"
                    : "more than one input: give only one of CONFIG.yaml, --db URL, --automx2-conf [FILE]");
        }
    }

    /** A short description of the source for messages. */
    String describe() {
        if (config != null) {
            return config.toString();
        }
        return db != null ? "database" : "automx2's database";
    }

    /**
     * Loads the site.
     *
     * @param warnings receives skipped database rows (non-strict mode)
     * @throws CliException INVALID_INPUT with every problem, or SOURCE_UNAVAILABLE
     */
    Site load(Consumer<String> warnings) throws CliException {
        return load(warnings, new SourceLocations());
    }

    /** As {@link #load(Consumer)}, recording in {@code locations} where each part of the site was read. */
    Site load(Consumer<String> warnings, SourceLocations locations) throws CliException {
        if (config != null) {
            try {
                return YamlSource.load(config, locations);
            } catch (ConfigException e) {
                throw new CliException(ExitCodes.INVALID_INPUT, e.problems(), e);
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, notFound(e), e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, "cannot read " + config + ": " + IoErrors.describe(e), e);
            }
        }
        String url = db;
        if (url == null) {
            Optional<Path> file = automx2Conf.equals(SEARCH_ORDER) ? Optional.empty() : Optional.of(Path.of(automx2Conf));
            try {
                url = Automx2Config.dbUri(file);
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, notFound(e), e);
            } catch (IOException e) {
                throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, "automx2 config: " + IoErrors.describe(e), e);
            }
        }
        try {
            return DatabaseSource.load(url, strict, warnings, locations);
        } catch (ConfigException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, e.problems(), e);
        } catch (SQLException | IOException e) {
            // The message may contain the URL; drivers do not put passwords in their messages.
            throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, "database: " + IoErrors.describe(e), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CliException(ExitCodes.SOURCE_UNAVAILABLE, "database: " + IoErrors.describe(e), e);
        }
    }

    private static String notFound(NoSuchFileException e) {
        return e.getFile() + ": file not found" + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
    }
}
