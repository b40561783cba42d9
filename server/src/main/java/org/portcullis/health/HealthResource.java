package org.portcullis.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.portcullis.http.Exchange;
import org.portcullis.http.Router;

/**
 * {@code GET /healthcheck} (and {@code HEAD}: the same status, no body), for load balancers and
 * operators: runs every {@link HealthCheck} — each store's round trip, the database, the audit
 * trail — and answers 200 when all pass, else 503 with what failed and whether existing secrets
 * are at risk or only availability is. It is unauthenticated and says nothing secret: names,
 * verdicts, timings. A check that recovers (the database is back, the audit sink writable again)
 * turns the answer back to 200 on the next call; the audit check's call is itself what lets a
 * refusing trail resume.
 */
public final class HealthResource {
    private final List<HealthCheck> checks = new CopyOnWriteArrayList<>();

    public HealthResource(List<? extends HealthCheck> checks) {
        this.checks.addAll(checks);
    }

    /** Adds a check (e.g. one that fails while the node drains before shutdown). */
    public HealthResource add(HealthCheck check) {
        checks.add(check);
        return this;
    }

    public void register(Router r) {
        r.open("GET", "/healthcheck", this::answer);
        r.open("HEAD", "/healthcheck", this::answer); // the server sends no body for HEAD
    }

    private void answer(Exchange ex) {
        List<Map<String, Object>> all = new ArrayList<>();
        List<Map<String, Object>> stores = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        boolean atRisk = false;
        for (HealthCheck check : checks) {
            HealthCheck.Verdict v = check.check();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", check.kind());
            m.put("name", check.name());
            m.put("ok", v.ok());
            m.put("detail", v.detail());
            m.put("secrets_at_risk", v.secretsAtRisk());
            m.put("elapsed_us", v.elapsedMicros());
            all.add(m);
            if (check.kind().equals("store")) {
                stores.add(m);
            }
            if (!v.ok()) {
                failed.add(check.kind() + " " + check.name());
                atRisk |= v.secretsAtRisk();
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failed.isEmpty() ? "OK" : "FAILING");
        body.put("failed", failed);
        body.put("secrets_at_risk", atRisk);
        body.put("existing_secrets", atRisk ? "AT RISK: a check that guards existing secrets failed; see its detail"
                : failed.isEmpty() ? "safe" : "safe, but not served until the failed check passes");
        body.put("checks", all);
        body.put("stores", stores);
        ex.json(failed.isEmpty() ? 200 : 503, body);
    }
}
