package dev.autogen.cli;

import dev.autogen.text.IoErrors;

import dev.autogen.config.ConfigException;
import dev.autogen.config.YamlSource;
import dev.autogen.config.YamlWriter;
import dev.autogen.model.Site;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

/**
 * {@code autogen import}: writes automx2's database as a YAML site description, so a migration can leave the
 * database behind. The file is checked before it is put in place: it must read back to exactly the site that was
 * read from the database, so rendering either gives the same documents.
 */
@Command(name = "import", sortOptions = false,
        description = {"Write automx2's database as a YAML site description (the migration's last step).",
                "The YAML reads back to exactly what the database holds, so `render FILE.yaml` and `render --db URL`"
                        + " publish the same documents. Rows autogen cannot use are reported and left out"
                        + " (--strict: refused)."},
        footer = {"", "Exit status: 0 done, 2 usage, 3 invalid rows with --strict (nothing written), 4 database or"
                + " config unreadable, 5 file not written, 1 internal error."})
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions source;

    @Option(names = "--out", required = true, paramLabel = "FILE.yaml",
            description = "The YAML file to write ('-': standard output). Mode 0600 when it holds an LDAP bind password.")
    Path out;

    @Option(names = "--force", description = "Replace FILE.yaml if it exists (it is never replaced otherwise).")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (source.config != null) {
            throw new ParameterException(spec.commandLine(),
                    "import reads automx2's database: give --db URL or --automx2-conf [FILE], not a YAML file");
        }
        source.validate();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Site site = source.load(warning -> {
                if (!quiet) {
                    err.println(Main.NAME + ": warning: " + warning);
                }
            });
            String yaml = YamlWriter.write(site);
            boolean secrets = site.directories().stream().anyMatch(d -> d.bindPassword().isPresent());
            if (out.toString().equals("-")) {
                spec.commandLine().getOut().print(yaml);
                spec.commandLine().getOut().flush();
            } else {
                write(site, yaml, secrets);
                if (!quiet) {
                    err.println(Main.NAME + ": wrote " + site.providers().size() + " provider"
                            + (site.providers().size() == 1 ? "" : "s") + " and " + site.domains().size() + " domain"
                            + (site.domains().size() == 1 ? "" : "s") + " to " + out
                            + (secrets ? " (mode 0600: it holds LDAP bind passwords)" : ""));
                }
            }
            err.flush();
            return ExitCodes.OK;
        } catch (CliException e) {
            e.lines().forEach(line -> err.println(Main.NAME + ": " + line));
            err.flush();
            return e.exitCode();
        }
    }

    /** Writes a temporary file next to {@code out}, reads it back, and only then moves it into place. */
    private void write(Site site, String yaml, boolean secrets) throws CliException {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !force) {
            throw new CliException(ExitCodes.PUBLISH_FAILED, target + " exists; use --force to replace it");
        }
        Path tmp = null;
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            if (secrets) {
                // Before any byte is written: a bind password must never be readable by others, even briefly.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } else {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
            Site readBack;
            try {
                readBack = YamlSource.load(tmp);
            } catch (ConfigException e) {
                throw new IllegalStateException("the written YAML does not read back: " + e.getMessage(), e);
            }
            if (!readBack.equals(site)) {
                throw new IllegalStateException("the written YAML reads back to a different site");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.PUBLISH_FAILED, target + " exists; use --force to replace it", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.PUBLISH_FAILED, "cannot write " + target + ": " + IoErrors.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error being reported matters more than a leftover temporary file
                }
            }
        }
    }
}
