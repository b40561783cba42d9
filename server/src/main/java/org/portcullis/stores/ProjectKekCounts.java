package org.portcullis.stores;

import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.db.Database;

/** How many project KEKs of a store each master key id wraps (column {@code master_key_id}). */
final class ProjectKekCounts {
    private ProjectKekCounts() {}

    static Map<String, Integer> byMasterKey(Database db, String storeId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        db.read(h -> h.createQuery("SELECT master_key_id, count(*) AS n FROM project_keks WHERE store_id = :s "
                        + "GROUP BY master_key_id")
                .bind("s", storeId)
                .map((rs, ctx) -> out.put(rs.getString("master_key_id"), rs.getInt("n"))).list());
        return out;
    }
}
