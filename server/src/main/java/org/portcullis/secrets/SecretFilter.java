package org.portcullis.secrets;

import java.util.List;

/**
 * A validated secret list query: equality filters, time ranges, sort order and the page.
 *
 * @param timeRanges conditions on created/updated/expiration columns
 * @param sort column and direction pairs, in priority order
 * @param aclOnly list the secrets the caller's user was granted by ACL instead of the project's
 */
public record SecretFilter(
        String name,
        String algorithm,
        String mode,
        Integer bits,
        String secretType,
        List<TimeCondition> timeRanges,
        List<SortKey> sort,
        boolean aclOnly,
        int limit,
        int offset) {

    /** {@code column op value}, e.g. created gt 2025-01-01. */
    public record TimeCondition(String column, String operator, long epochMillis) {}

    public record SortKey(String column, boolean descending) {}

    /** No condition narrows the rows (sort and page do not): the total is the project's count. */
    public boolean unfiltered() {
        return name == null && algorithm == null && mode == null && bits == null && secretType == null
                && timeRanges.isEmpty();
    }
}
