package org.jham.samples.plugin;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jham.agent.plugin.PluginHost;
import org.jham.spi.ActionEvent;
import org.jham.spi.ActionPlugin;
import org.jham.spi.PluginContext;

/**
 * Run by {@link PluginJarIT} in a JVM whose class path is the HAM's (ham-agent.jar) and this test
 * directory, never the samples classes: loads the plugin jar {@code args[0]} as the HAM does, posts
 * one event to {@code args[1]}, and prints what happened.
 */
public final class PluginJarProbe {
    private PluginJarProbe() {
    }

    public static void main(String[] args) throws Exception {
        PluginContext context = new PluginContext() {
            @Override
            public String setting(String key, String fallback) {
                return fallback;
            }

            @Override
            public void log(int verbosity, String message) {
                System.out.println("context log " + verbosity + ": " + message);
            }

            @Override
            public List<String> entityNames() {
                return List.of();
            }

            @Override
            public void raise(String entity, int rtype, int rclass, int rseverity) {
            }

            @Override
            public void state(String entity, int tostate) {
            }
        };
        try (PluginHost host = new PluginHost(List.of(Path.of(args[0])), name -> context,
                line -> System.out.println("host: " + line))) {
            host.start();
            ActionPlugin p = host.actionPlugin("HTTP_POST");
            System.out.println("class " + p.getClass().getName() + " from "
                    + p.getClass().getProtectionDomain().getCodeSource().getLocation());
            p.create(args[1]).run(new ActionEvent("web", "web/death", "web/death/hook", "CONDDEATH", 7,
                    Instant.parse("2024-05-01T12:00:00Z"), "probe"));
            System.out.println("posted");
        }
    }
}
