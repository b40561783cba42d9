package org.portcullis.quotas;

import java.util.LinkedHashMap;
import java.util.Map;
import org.portcullis.config.PortcullisConfig.QuotaDefaults;

/**
 * One value per quota. In a project's own record a null means "not set"; in effective quotas every
 * value is set. Negative is unlimited, 0 disables creation, N allows N live resources.
 */
public record QuotaValues(Integer secrets, Integer orders, Integer containers, Integer consumers, Integer cas) {
    public static final QuotaValues UNSET = new QuotaValues(null, null, null, null, null);

    public static QuotaValues of(QuotaDefaults d) {
        return new QuotaValues(d.secrets(), d.orders(), d.containers(), d.consumers(), d.cas());
    }

    public Integer get(Resource r) {
        return switch (r) {
            case SECRETS -> secrets;
            case ORDERS -> orders;
            case CONTAINERS -> containers;
            case CONSUMERS -> consumers;
            case CAS -> cas;
        };
    }

    public QuotaValues with(Resource r, Integer value) {
        return new QuotaValues(r == Resource.SECRETS ? value : secrets, r == Resource.ORDERS ? value : orders,
                r == Resource.CONTAINERS ? value : containers, r == Resource.CONSUMERS ? value : consumers,
                r == Resource.CAS ? value : cas);
    }

    /** These values where set, the defaults where not: what applies to the project. */
    public QuotaValues orElse(QuotaValues defaults) {
        QuotaValues out = this;
        for (Resource r : Resource.values()) {
            if (get(r) == null) {
                out = out.with(r, defaults.get(r));
            }
        }
        return out;
    }

    /** {@code {"secrets": …, "orders": …, "containers": …, "consumers": …, "cas": …}}, nulls kept. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Resource r : Resource.values()) {
            m.put(r.apiName(), get(r));
        }
        return m;
    }
}
