package org.portcullis.stores.migrate;

import java.util.List;
import org.jdbi.v3.core.statement.SqlStatement;
import org.portcullis.stores.SecretStore;

/**
 * Which secrets a migration moves: every live secret of {@code from}, optionally only those of
 * some projects and/or with some ids. Secrets are walked in creation order (created_at, id), one
 * page at a time.
 */
public record MigrationScope(SecretStore from, SecretStore to, List<String> projects, List<String> secretIds) {

    public MigrationScope {
        projects = List.copyOf(projects);
        secretIds = List.copyOf(secretIds);
    }

    /** The WHERE clause (after {@code FROM secrets}) that selects the scope. */
    String where() {
        StringBuilder sql = new StringBuilder(" WHERE store_id = :from AND NOT deleted");
        if (!projects.isEmpty()) {
            sql.append(" AND project_id IN (<projects>)");
        }
        if (!secretIds.isEmpty()) {
            sql.append(" AND id IN (<ids>)");
        }
        return sql.toString();
    }

    <S extends SqlStatement<S>> S bind(S statement) {
        statement.bind("from", from.info().id());
        if (!projects.isEmpty()) {
            statement.bindList("projects", projects);
        }
        if (!secretIds.isEmpty()) {
            statement.bindList("ids", secretIds);
        }
        return statement;
    }
}
