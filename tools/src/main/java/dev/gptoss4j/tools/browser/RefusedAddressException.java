package dev.gptoss4j.tools.browser;

import java.net.UnknownHostException;

/**
 * A host the {@link NetworkPolicy} does not let the browser reach. An {@link UnknownHostException} because OkHttp
 * lets its {@code Dns} throw only that; the connection is never attempted.
 */
public final class RefusedAddressException extends UnknownHostException {

    public RefusedAddressException(String message) {
        super(message);
    }
}
