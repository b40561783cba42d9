package org.portcullis.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.portcullis.http.ApiException;

/** The one way the tests say "this call is refused with that status": the error every resource maps to a Barbican body. */
public final class ApiErrors {
    private ApiErrors() {}

    /** Asserts that {@code call} throws an {@link ApiException} with {@code status}; chain the message checks on the result. */
    public static AbstractThrowableAssert<?, ? extends Throwable> assertApiError(ThrowingCallable call, int status) {
        return assertThatThrownBy(call)
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(status));
    }
}
