package dev.litellmdeploy.deployer.steps;

import java.time.Duration;

import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.run.Session;

/**
 * The blue-green steps: a release starts in the idle color on its loopback port while the live color serves; nginx
 * switches to it only once it is proven; the old color drains and retires after the commit.
 */
public final class BlueGreen {
    private BlueGreen() {
    }

    public record StartColor(String release, String color, int port, Undo undo) implements Step {
        public boolean startsTheService() {
            return true;
        }

        public String name() {
            return "start-" + color;
        }

        public String args() {
            return release + " on 127.0.0.1:" + port;
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            s.started(color, s.helper().bgStart(release, color, port));
            return release + " on 127.0.0.1:" + port;
        }
    }

    /** nginx sends new requests to the color (a graceful reload); from a restart-mode host, the single service stops. */
    public record Switch(String color, int publicPort, int colorPort, Undo undo) implements Step {
        public String name() {
            return "switch";
        }

        public String args() {
            return "public port " + publicPort + " -> " + color;
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            s.helper().bgSwitch(color);
            return "public port " + publicPort + " -> " + color + " (127.0.0.1:" + colorPort + ")";
        }
    }

    /** Through nginx on the public port: liveliness within 10 s, then the bundle's models. */
    public record VerifyProxy(int publicPort) implements Step {
        public String name() {
            return "verify-proxy";
        }

        public String args() {
            return "port " + publicPort;
        }

        public Phase phase() {
            return Phase.CHANGE;
        }

        public String run(Session s) throws Exception {
            return "port " + publicPort + ": " + s.probe(publicPort).verifyThrough();
        }
    }

    /** After the commit: the old color finishes its requests in flight (at most the drain timeout). */
    public record Drain(String color, long seconds) implements Step {
        public String name() {
            return "drain";
        }

        public String args() {
            return color + ", at most " + seconds + " s";
        }

        public Phase phase() {
            return Phase.CLEANUP;
        }

        public String run(Session s) throws Exception {
            long start = System.nanoTime();
            Helper.Drained d = s.helper().bgDrain(color, seconds);
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            return d.drained() ? color + " finished its requests in " + took + " ms"
                    : color + " still had " + d.open() + " connections after " + seconds + " s; stopping it anyway";
        }
    }

    /** After a move from restart: the single service (stopped by the switch) finishes its requests in flight. */
    public record DrainSingle(String unit, long seconds) implements Step {
        public String name() {
            return "drain";
        }

        public String args() {
            return unit + ", at most " + seconds + " s";
        }

        public Phase phase() {
            return Phase.CLEANUP;
        }

        public String run(Session s) throws Exception {
            long start = System.nanoTime();
            boolean stopped = s.helper().bgWaitStopped(seconds);
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            return stopped ? unit + " finished its requests and stopped in " + took + " ms"
                    : unit + " was still busy after " + seconds + " s and was killed";
        }
    }

    /** The old color stops now, or after the grace period (a rollback within it is a switch back). */
    public record Retire(String color, long graceSeconds) implements Step {
        public String name() {
            return "retire";
        }

        public String args() {
            return color + (graceSeconds == 0 ? " now" : " after " + graceSeconds + " s");
        }

        public Phase phase() {
            return Phase.CLEANUP;
        }

        public String run(Session s) throws Exception {
            s.helper().bgRetire(color, graceSeconds);
            return graceSeconds == 0 ? color + " stopped"
                    : color + " keeps running for " + graceSeconds + " s (a rollback in that time is a switch back), then stops";
        }
    }

    /** Back to restart mode: the proxy site and the colors go; the single service is installed and restarted next. */
    public record Leave(Phase phase, Undo undo) implements Step {
        public String name() {
            return "leave-blue-green";
        }

        public String run(Session s) throws Exception {
            s.helper().bgLeave();
            return "proxy site removed, colors stopped";
        }
    }
}
