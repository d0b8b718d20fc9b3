package io.loadstream.producers.run;

/**
 * This generator's part of a run that {@code instances} generators share: rates are divided evenly,
 * virtual users as evenly as whole users allow (the first {@code total % instances} generators take
 * one more).
 *
 * @param instances generators sharing the run
 * @param index this generator, from 0
 */
public record LoadShare(int instances, int index) {

    /** The whole load, for a generator that runs alone. */
    public static final LoadShare ALL = new LoadShare(1, 0);

    public LoadShare {
        if (instances < 1) {
            throw new IllegalArgumentException("--instances must be at least 1, not " + instances);
        }
        if (index < 0 || index >= instances) {
            throw new IllegalArgumentException(
                    "--instance-index must be from 0 to " + (instances - 1) + ", not " + index);
        }
    }

    /** This generator's share of a rate. */
    public double rate(double total) {
        return total / instances;
    }

    /** This generator's share of a number of virtual users. */
    public int users(int total) {
        return total / instances + (index < total % instances ? 1 : 0);
    }
}
