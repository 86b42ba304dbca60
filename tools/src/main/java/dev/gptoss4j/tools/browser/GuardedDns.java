package dev.gptoss4j.tools.browser;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import okhttp3.Dns;

/**
 * Name resolution that drops the addresses the {@link NetworkPolicy} refuses. OkHttp connects only to addresses
 * its {@code Dns} returned, so the address checked is the address used: a name that resolves to a private address
 * (directly, or after a rebinding between a check and the connection) is never connected to. IP literals skip
 * {@code Dns} in OkHttp; {@link HttpPageFetcher} checks those itself.
 */
final class GuardedDns implements Dns {

    private final Dns delegate;
    private final NetworkPolicy policy;

    GuardedDns(Dns delegate, NetworkPolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "dns");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        String nameRefusal = policy.refusal(hostname);
        if (nameRefusal != null) {
            throw new RefusedAddressException("refused to connect to " + hostname + ": it is " + nameRefusal);
        }
        List<InetAddress> allowed = new ArrayList<>();
        String firstRefusal = null;
        for (InetAddress a : delegate.lookup(hostname)) {
            String why = policy.refusal(a);
            if (why == null) allowed.add(a);
            else if (firstRefusal == null) firstRefusal = a.getHostAddress() + ", " + why;
        }
        if (allowed.isEmpty()) {
            throw new RefusedAddressException("refused to connect to " + hostname + ": it resolves to "
                    + (firstRefusal == null ? "no address" : firstRefusal)
                    + "; only public internet addresses can be opened");
        }
        return allowed;
    }
}
