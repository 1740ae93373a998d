package dev.autogen.db;

import dev.autogen.model.Site;

import java.util.function.Consumer;

/** Reads a site from automx2's database schema. (Owned by the database work: stub until implemented.) */
public final class DatabaseSource {
    private DatabaseSource() {}

    /**
     * @param url      JDBC URL or automx2's SQLAlchemy URL
     * @param strict   invalid rows are fatal instead of skipped with a warning
     * @param warnings receives one line per skipped row ("table server id 7: ...")
     */
    public static Site load(String url, boolean strict, Consumer<String> warnings) throws Exception {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
