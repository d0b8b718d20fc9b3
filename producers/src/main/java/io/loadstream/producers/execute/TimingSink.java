package io.loadstream.producers.execute;

import io.loadstream.avro.RequestTiming;

/** Where a generator hands the timing event of each request it makes. */
public interface TimingSink {

    /**
     * Takes one timing event. Called on the generator's thread for every request, so it must not
     * block for long.
     */
    void publish(RequestTiming timing);
}
