package io.loadstream.cli;

import io.loadstream.consumers.live.LiveWindowView;
import io.loadstream.consumers.live.StatsTable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows the newest final window of every endpoint and a progress line, refreshed every second. On a
 * terminal the table is redrawn in place; otherwise (a pipe, a CI log) it is printed every few
 * seconds, one after another, and as soon as the first final windows are there.
 */
final class LiveDisplay implements AutoCloseable {

    private static final String CURSOR_UP = "\u001b[%dA";
    private static final String CLEAR_LINE = "\u001b[2K";
    private static final int PLAIN_EVERY_SECONDS = 5;

    private final LiveWindowView view;
    private final Supplier<String> progress;
    private final PrintWriter out;
    private final boolean terminal;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "live-display");
                        t.setDaemon(true);
                        return t;
                    });
    private int linesShown;
    private boolean windowsShown;
    private long ticks;

    LiveDisplay(LiveWindowView view, Supplier<String> progress, PrintWriter out, boolean terminal) {
        this.view = view;
        this.progress = progress;
        this.out = out;
        this.terminal = terminal;
    }

    LiveDisplay start() {
        timer.scheduleAtFixedRate(this::refresh, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private synchronized void refresh() {
        ticks++;
        var windows = view.newestFinalWindows().values();
        // off a terminal the first final windows are printed as they come, then every few seconds
        boolean firstWindows = !windowsShown && !windows.isEmpty();
        if (!terminal && ticks % PLAIN_EVERY_SECONDS != 0 && !firstWindows) {
            return;
        }
        windowsShown |= !windows.isEmpty();
        String text = StatsTable.windows(windows) + progress.get() + "\n";
        if (terminal && linesShown > 0) {
            out.printf(CURSOR_UP, linesShown);
        }
        for (String line : text.split("\n")) {
            out.print(terminal ? CLEAR_LINE + line + "\n" : line + "\n");
        }
        if (!terminal) {
            out.println();
        }
        out.flush();
        linesShown = text.split("\n").length;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
