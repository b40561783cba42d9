package org.portcullis.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.portcullis.http.ApiException;

/**
 * Validates ACL bodies as Barbican's ACL schema does: {@code {"read": {"users": [..],
 * "project-access": bool}}}, nothing else. An operation given as an empty object changes nothing.
 */
final class AclRequests {
    private AclRequests() {}

    /** One operation's requested change; null fields are "not given". */
    record Change(Boolean projectAccess, Set<String> users) {}

    static Map<String, Change> parse(JsonNode body) {
        if (!body.isObject()) {
            throw invalid(null, "an ACL is a JSON object such as {\"read\": {\"users\": [], \"project-access\": true}}");
        }
        Map<String, Change> out = new LinkedHashMap<>();
        var fields = body.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (!e.getKey().equals("read")) {
                throw invalid(e.getKey(), "additional properties are not allowed; only 'read' can be set");
            }
            JsonNode op = e.getValue();
            if (!op.isObject()) {
                throw invalid("read", "must be an object with 'users' and/or 'project-access'");
            }
            if (op.isEmpty()) {
                continue;
            }
            Boolean projectAccess = null;
            Set<String> users = null;
            var opFields = op.fields();
            while (opFields.hasNext()) {
                var f = opFields.next();
                switch (f.getKey()) {
                    case "project-access" -> {
                        if (!f.getValue().isBoolean()) {
                            throw invalid("project-access", "must be true or false");
                        }
                        projectAccess = f.getValue().booleanValue();
                    }
                    case "users" -> {
                        if (!f.getValue().isArray()) {
                            throw invalid("users", "must be a list of user ids");
                        }
                        users = new LinkedHashSet<>();
                        for (JsonNode u : f.getValue()) {
                            if (!u.isTextual() || u.textValue().length() > 255) {
                                throw invalid("users", "user ids are strings of at most 255 characters");
                            }
                            if (!u.textValue().isBlank()) {
                                users.add(u.textValue().strip());
                            }
                        }
                    }
                    default -> throw invalid(f.getKey(), "additional properties are not allowed");
                }
            }
            out.put("read", new Change(projectAccess, users));
        }
        return out;
    }

    private static ApiException invalid(String property, String reason) {
        return ApiException.badRequest("Provided object does not match schema 'ACL': " + reason
                + ". Invalid property: '" + property + "'");
    }
}
