package io.loadstream.producers.execute;

import java.util.Arrays;
import java.util.List;

/**
 * Picks the endpoint of each request, in proportion to the endpoints' weights and in a fixed order:
 * smooth weighted round-robin (as nginx balances upstreams). Each pick adds every weight to its
 * endpoint's credit, takes the endpoint with the most credit (the first on a tie) and takes the
 * total weight off its credit. Weights 5, 1, 1 give {@code a a b a c a a}, spreading the light
 * endpoints out rather than bunching them; equal weights give plain round-robin, {@code 0, 1, 2, 0,
 * ...}.
 *
 * <pre>{@code
 * EndpointChooser chooser = EndpointChooser.weighted(List.of(3, 1));
 * chooser.next(); // 0, then 0, 1, 0, and the same again
 * }</pre>
 *
 * <p>Thread-safe; picks are serialised.
 */
public final class EndpointChooser {

    private final int[] weights;
    private final long[] credit;
    private final long total;
    private final boolean equal;
    private long picks;

    private EndpointChooser(int[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("there must be at least one endpoint");
        }
        long sum = 0;
        for (int w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException(
                        "weights must not be negative: " + Arrays.toString(weights));
            }
            sum += w;
        }
        if (sum == 0) {
            throw new IllegalArgumentException(
                    "at least one weight must be positive: " + Arrays.toString(weights));
        }
        this.weights = weights.clone();
        this.credit = new long[weights.length];
        this.total = sum;
        this.equal = Arrays.stream(weights).allMatch(w -> w == weights[0]);
    }

    /** Endpoints {@code 0 .. endpoints - 1} in turn. */
    public static EndpointChooser roundRobin(int endpoints) {
        int[] weights = new int[endpoints];
        Arrays.fill(weights, 1);
        return new EndpointChooser(weights);
    }

    /**
     * Endpoint {@code i} with weight {@code weights.get(i)}: over every {@code sum(weights)} picks,
     * exactly that many times. A weight of 0 is never picked.
     */
    public static EndpointChooser weighted(List<Integer> weights) {
        return new EndpointChooser(weights.stream().mapToInt(Integer::intValue).toArray());
    }

    /** How many endpoints there are to choose from. */
    public int endpoints() {
        return weights.length;
    }

    /** The endpoint of the next request. */
    public synchronized int next() {
        if (equal) {
            return (int) (picks++ % weights.length);
        }
        int best = 0;
        for (int i = 0; i < weights.length; i++) {
            credit[i] += weights[i];
            if (credit[i] > credit[best]) {
                best = i;
            }
        }
        credit[best] -= total;
        return best;
    }
}
