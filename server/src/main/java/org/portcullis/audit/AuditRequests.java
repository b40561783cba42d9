package org.portcullis.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.portcullis.auth.RequestContext;
import org.portcullis.http.Exchange;

/** What an API request's audit events say about the request: who sent it, and the path's parts. */
final class AuditRequests {
    private static final String USER_TYPE = "service/security/account/user";
    private static final int MAX_AGENT = 256;

    private AuditRequests() {}

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }

    static AuditEvent.Initiator initiator(Exchange ex) {
        RequestContext ctx = ex.contextOrNull();
        String agent = ex.header("User-Agent");
        if (agent != null && agent.length() > MAX_AGENT) {
            agent = agent.substring(0, MAX_AGENT);
        }
        if (ctx == null) {
            return new AuditEvent.Initiator(USER_TYPE, null, null, null, null, ex.remoteAddress(), agent);
        }
        List<String> roles = new ArrayList<>(ctx.roles());
        Collections.sort(roles);
        return new AuditEvent.Initiator(USER_TYPE, ctx.userId(), ctx.projectId(), roles, ctx.systemScope(),
                ex.remoteAddress(), agent);
    }
}
