package org.portcullis.quotas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.portcullis.config.PortcullisConfig.QuotaDefaults;

class QuotaValuesTest {
    @Test
    void ownValuesWinAndTheDefaultsFillTheRest() {
        QuotaValues defaults = QuotaValues.of(new QuotaDefaults(-1, 10, 20, 30, 0));
        QuotaValues own = QuotaValues.UNSET.with(Resource.SECRETS, 3).with(Resource.CAS, -1);
        assertThat(own.orElse(defaults)).isEqualTo(new QuotaValues(3, 10, 20, 30, -1));
        assertThat(QuotaValues.UNSET.orElse(defaults)).isEqualTo(defaults);
    }

    @Test
    void jsonKeepsBarbicansKeysAndNulls() {
        var json = QuotaValues.UNSET.with(Resource.ORDERS, 4).toJson();
        assertThat(json.keySet()).containsExactly("secrets", "orders", "containers", "consumers", "cas");
        assertThat(json.get("orders")).isEqualTo(4);
        assertThat(json.get("secrets")).isNull();
    }
}
