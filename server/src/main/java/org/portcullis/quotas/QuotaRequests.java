package org.portcullis.quotas;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.portcullis.http.ApiException;
import org.portcullis.http.SchemaErrors;

/**
 * The body of {@code PUT /v1/project-quotas/{id}}, checked as Barbican's ProjectQuotaValidator
 * does: {@code {"project_quotas": {…}}} and nothing else, each value an integer, no other keys.
 * Errors are reported in the order jsonschema's best match would pick them (the shallowest
 * first). Beyond Barbican, a value must fit the INTEGER column (Barbican answers 500 there), and
 * the only negative value is -1, unlimited (0 disables the resource): Barbican stores -5 and
 * treats it as unlimited, which reads as a typo nobody is told about.
 */
final class QuotaRequests {
    static final String SCHEMA = "Project Quota";
    private static final String PROPERTY = "project_quotas";
    private static final BigInteger MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger MIN = BigInteger.valueOf(-1);

    private QuotaRequests() {}

    /** The quotas the body sets, in schema order; keys it leaves out are absent (not null). */
    static Map<Resource, Integer> projectQuotas(JsonNode raw) {
        JsonNode body = SchemaErrors.stripped(raw);
        if (!body.isObject()) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.notOfType(body, "object"), null);
        }
        if (!body.has(PROPERTY)) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.required(PROPERTY), null);
        }
        List<String> extra = new ArrayList<>();
        body.fieldNames().forEachRemaining(n -> {
            if (!n.equals(PROPERTY)) {
                extra.add(n);
            }
        });
        if (!extra.isEmpty()) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.unexpected(extra), null);
        }
        JsonNode quotas = body.get(PROPERTY);
        if (!quotas.isObject()) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.notOfType(quotas, "object"), PROPERTY);
        }
        quotas.fieldNames().forEachRemaining(n -> {
            if (Resource.fromApi(n) == null) {
                extra.add(n);
            }
        });
        if (!extra.isEmpty()) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.unexpected(extra), PROPERTY);
        }
        Map<Resource, Integer> out = new EnumMap<>(Resource.class);
        for (Resource r : Resource.values()) {
            JsonNode v = quotas.get(r.apiName());
            if (v != null) {
                out.put(r, quota(v));
            }
        }
        return out;
    }

    private static int quota(JsonNode v) {
        BigInteger n = integerOrNull(v);
        if (n == null) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.notOfType(v, "integer"), PROPERTY);
        }
        if (n.compareTo(MAX) > 0) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.repr(v) + " is greater than the maximum of " + MAX, PROPERTY);
        }
        if (n.compareTo(MIN) < 0) {
            throw SchemaErrors.invalid(SCHEMA, SchemaErrors.repr(v) + " is less than the minimum of " + MIN, PROPERTY);
        }
        return n.intValue();
    }

    /** jsonschema's integer: a JSON integer, or a float with no fraction (1.0); never a boolean. */
    private static BigInteger integerOrNull(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (Double.isFinite(d) && d == Math.rint(d)) {
                return v.decimalValue().toBigInteger();
            }
        }
        return null;
    }

    static ApiException noData() {
        return ApiException.badRequest("Project Quotas issue seen - No data supplied to process..");
    }
}
