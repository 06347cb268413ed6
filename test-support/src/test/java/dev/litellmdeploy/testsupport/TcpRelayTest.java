package dev.litellmdeploy.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay's delay line against a loopback echo server: order, content, the added round trip, half-close. */
class TcpRelayTest {
    private ServerSocket echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread c = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out); // echoes until the client's end of stream, then closes
                        } catch (IOException e) {
                            // closed
                        }
                    });
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    @Test
    void aDelayedRelayKeepsEveryByteInOrderAndPassesTheEndOfStreamOn() throws Exception {
        byte[] sent = new byte[3_000_000];
        new Random(7).nextBytes(sent);
        try (TcpRelay relay = TcpRelay.withRoundTrip("127.0.0.1", echo.getLocalPort(), Duration.ofMillis(40));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    s.getInputStream().transferTo(received); // returns at the end of stream the echo's close sends back
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            reader.start();
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < sent.length; off += 1000) { // many small writes: many chunks in the line
                out.write(sent, off, Math.min(1000, sent.length - off));
            }
            s.shutdownOutput();
            reader.join(60_000);
            assertArrayEquals(sent, received.toByteArray());
        }
    }

    @Test
    void everyRoundTripThroughTheRelayTakesAtLeastItsRoundTripTime() throws Exception {
        Duration rtt = Duration.ofMillis(150);
        try (TcpRelay relay = TcpRelay.withRoundTrip("127.0.0.1", echo.getLocalPort(), rtt);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                s.getOutputStream().write(new byte[] {(byte) i});
                int back = s.getInputStream().read();
                long took = System.nanoTime() - start;
                assertEquals(i, back);
                assertTrue(took >= rtt.toNanos(), "a round trip took " + took / 1_000_000 + " ms, less than " + rtt.toMillis() + " ms");
            }
        }
    }

    @Test
    void aRelayWithoutDelayStillRelays() throws Exception {
        try (TcpRelay relay = new TcpRelay("127.0.0.1", echo.getLocalPort(), 0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            s.getOutputStream().write("hello".getBytes());
            byte[] back = s.getInputStream().readNBytes(5);
            assertEquals("hello", new String(back));
        }
    }
}
