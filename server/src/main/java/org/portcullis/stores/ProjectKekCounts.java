package org.portcullis.stores;

import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.db.Database;
import org.portcullis.db.PlainQuery;

/**
 * How many project KEKs of a store each master key id wraps (column {@code master_key_id}); plain JDBC
 * ({@link PlainQuery}), as {@link MasterKeyCheck} reads it before the node listens.
 */
final class ProjectKekCounts {
    private ProjectKekCounts() {}

    static Map<String, Integer> byMasterKey(Database db, String storeId) {
        return db.readConnection(conn -> PlainQuery.query(conn, "SELECT master_key_id, count(*) FROM project_keks "
                + "WHERE store_id = ? GROUP BY master_key_id", rs -> {
                    Map<String, Integer> out = new LinkedHashMap<>();
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                    return out;
                }, storeId));
    }
}
