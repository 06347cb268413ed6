package dev.litellmdeploy.deployer;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.remote.Shell;

/**
 * One deploy at a time per host: an flock(1) on the state directory's lock file, held by a remote
 * process that lives as long as this SSH channel. Closing the channel releases it; so does a
 * deployer that dies (its connection drops, the process ends, the kernel drops the lock): a stale
 * lock recovers by itself. Who holds it, and since when, is written beside it for the waiter.
 */
final class RemoteLock implements AutoCloseable {
    private final RemoteHost.RunningCommand holder;

    private RemoteLock(RemoteHost.RunningCommand holder) {
        this.holder = holder;
    }

    static RemoteLock acquire(RemoteHost host, RemoteLayout l, String owner, Duration timeout, java.util.function.Consumer<String> progress)
            throws RemoteCommandException, DeployFailedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        String info = owner + " since " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String script = """
                install -d -m 0711 %1$s; install -d -m 0700 %1$s/releases; install -d -m 0711 %1$s/staging
                exec 9>>%2$s
                if ! flock -n 9; then
                  echo "WAIT $(cat %2$s.info 2>/dev/null || echo 'another deploy')"
                  if ! flock -w %3$d 9; then echo "BUSY $(cat %2$s.info 2>/dev/null || echo 'another deploy')"; exit 75; fi
                fi
                printf '%%s\\n' %4$s > %2$s.info
                echo LOCKED
                cat >/dev/null
                """.formatted(l.stateDir(), l.lockFile(), Math.max(1, timeout.toSeconds()), Shell.quote(info));
        RemoteHost.RunningCommand cmd = host.start(script, lines::add);
        long deadline = System.nanoTime() + timeout.plusSeconds(30).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(500, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!cmd.isOpen()) {
                        break;
                    }
                    continue;
                }
                if (line.equals("LOCKED")) {
                    return new RemoteLock(cmd);
                }
                if (line.startsWith("WAIT ")) {
                    progress.accept("another deploy holds the lock (" + line.substring(5) + "); waiting up to " + timeout.toSeconds() + " s");
                } else if (line.startsWith("BUSY ")) {
                    cmd.close();
                    throw new DeployFailedException("another deploy holds the lock on " + host.describe() + ": " + line.substring(5)
                            + "; gave up after " + timeout.toSeconds() + " s. Retry when it is done", false, false, null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cmd.close();
        throw new RemoteCommandException("could not take the deploy lock on " + host.describe(), -1, "");
    }

    @Override
    public void close() {
        holder.close();
    }
}
