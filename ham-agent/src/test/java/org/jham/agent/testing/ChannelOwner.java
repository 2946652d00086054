package org.jham.agent.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.jham.Channel;
import org.jham.Ham;
import org.jham.Pulse;

/**
 * A separate JVM that owns a pulse channel on the HAM at {@code args[0]}: prints
 * {@code channel <pid> <chid>}, then {@code pulse <code> <value> <source>} for each pulse it
 * receives, and exits when its stdin says {@code exit} or ends, without closing the channel: a
 * receiver that went away, as in the guide's client example.
 */
public final class ChannelOwner {
    private ChannelOwner() {
    }

    public static void main(String[] args) throws Exception {
        Channel channel = Ham.connect(args[0]).channel();
        System.out.println("channel " + channel.pid() + " " + channel.chid());
        System.out.flush();
        Thread receiver = new Thread(() -> {
            try {
                while (true) {
                    Pulse p = channel.receive();
                    System.out.println("pulse " + p.code() + " " + p.value() + " " + p.source());
                    System.out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pulse-receiver");
        receiver.setDaemon(true);
        receiver.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals("exit")) {
            // Only "exit" or the end of stdin matters.
        }
        // Halt, not exit: nothing may tidy the channel up; the HAM must notice the owner is gone.
        Runtime.getRuntime().halt(0);
    }
}
