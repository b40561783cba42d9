package org.portcullis.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.DB;
import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A SQLite statement kept in a {@link StatementCache}, which asks SQLite for its result's column
 * names once instead of on every run. The driver forgets them when a result set closes and reads
 * them again for the next (one crossing into native code per column, each handing the name back
 * in a direct buffer that the native side makes by calling back into Java): about 4% of a
 * payload read's CPU for its 9 columns. A statement's column names are fixed by its text; should
 * a schema change make SQLite prepare it again with another number of columns (a {@code SELECT
 * *} after a column was added), the count no longer matches and the names are read afresh.
 */
final class KeptStatement extends JDBC4PreparedStatement {
    private String[] columnNames;

    KeptStatement(SQLiteConnection conn, String sql) throws SQLException {
        super(conn, sql);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        if (columnNames != null && !rs.isOpen() && columnNames.length == pointer.safeRunInt(DB::column_count)) {
            rs.colsMeta = columnNames; // what the driver would read again; a closed result set cleared it
        }
        ResultSet result = super.getResultSet();
        if (result != null) {
            columnNames = rs.colsMeta;
        }
        return result;
    }
}
