package org.jham.agent.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.agent.plugin.testplugins.BadLifecycleAction;
import org.jham.agent.plugin.testplugins.BadNameAction;
import org.jham.agent.plugin.testplugins.Calls;
import org.jham.agent.plugin.testplugins.DiskDetector;
import org.jham.agent.plugin.testplugins.EchoAction;
import org.jham.agent.plugin.testplugins.EchoCloneAction;
import org.jham.agent.plugin.testplugins.EchoTwinAction;
import org.jham.agent.plugin.testplugins.ExplodingConstructorAction;
import org.jham.agent.plugin.testplugins.FailingInitAction;
import org.jham.agent.plugin.testplugins.FailingStartAction;
import org.jham.agent.plugin.testplugins.LateAction;
import org.jham.agent.plugin.testplugins.NoDefaultConstructorAction;
import org.jham.agent.plugin.testplugins.NoisyStopDetector;
import org.jham.agent.plugin.testplugins.RecordingPlugin;
import org.jham.spi.ActionEvent;
import org.jham.spi.ActionPlugin;
import org.jham.spi.ConditionDetector;
import org.jham.spi.PluginContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PluginHost over real jars written at test time: the class files of the test plugins
 * ({@code testplugins}, compiled with the tests) plus {@code META-INF/services} files. The classes
 * are also on the test class path (the host's class loader delegates to it first), but no services
 * file there names them: only a jar on the plugin path makes them plugins.
 */
class PluginHostTest {
    private static final String ACTIONS = "META-INF/services/" + ActionPlugin.class.getName();
    private static final String DETECTORS = "META-INF/services/" + ConditionDetector.class.getName();
    private static final String MISSING_CLASS = "org.jham.agent.plugin.testplugins.NoSuchPlugin";

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<String> contextsGiven = new CopyOnWriteArrayList<>();
    private final List<PluginHost> hosts = new ArrayList<>();

    @BeforeEach
    void resetCalls() {
        Calls.reset();
    }

    @AfterEach
    void closeHosts() {
        hosts.forEach(PluginHost::close);
    }

    /** A context whose setting "owner" says which plugin it was made for. */
    private PluginContext contextFor(String name) {
        contextsGiven.add(name);
        return new PluginContext() {
            @Override
            public String setting(String key, String fallback) {
                return key.equals("owner") ? "ctx:" + name : fallback;
            }

            @Override
            public void log(int verbosity, String message) {
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
    }

    private PluginHost host(Path... path) {
        PluginHost h = new PluginHost(List.of(path), this::contextFor, log::add);
        hosts.add(h);
        return h;
    }

    /** Lines of the log containing every fragment. */
    private List<String> logLines(String... fragments) {
        return log.stream().filter(l -> Stream.of(fragments).allMatch(l::contains)).collect(Collectors.toList());
    }

    private void assertLogged(String... fragments) {
        assertFalse(logLines(fragments).isEmpty(), "no log line with " + List.of(fragments) + " in " + log);
    }

    /** The usual jars: a plugin directory with actions.jar, detectors.jar and a stray file. */
    private Path pluginDir() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Files.writeString(plugins.resolve("README.txt"), "not a jar");
        Map<String, List<String>> actions = new LinkedHashMap<>();
        actions.put(ACTIONS, names(EchoAction.class, LateAction.class, FailingStartAction.class,
                FailingInitAction.class, BadNameAction.class));
        jar(plugins.resolve("actions.jar"), actions, EchoAction.class, LateAction.class, FailingStartAction.class,
                FailingInitAction.class, BadNameAction.class, RecordingPlugin.class, Calls.class);
        jar(plugins.resolve("detectors.jar"), Map.of(DETECTORS, names(DiskDetector.class, NoisyStopDetector.class)),
                DiskDetector.class, NoisyStopDetector.class, RecordingPlugin.class, Calls.class);
        return plugins;
    }

    @Test
    void nothingOnTheTestClassPathDeclaresTheTestPlugins() {
        PluginHost h = host();
        h.start();
        assertEquals(List.of(), h.actionTypes());
        assertEquals(List.of(), h.detectorNames());
        assertEquals(List.of(), Calls.snapshot());
        assertLogged("plugins started", "action types none", "condition detectors none");
    }

    @Test
    void discoversActionPluginsAndDetectorsFromTheJars() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();

        assertEquals(List.of("ECHO", "LATE"), h.actionTypes());
        assertEquals(List.of("disk-space", "noisy"), h.detectorNames());
        ActionPlugin echo = h.actionPlugin("ECHO");
        assertInstanceOf(EchoAction.class, echo);
        assertEquals("echo hello", echo.create("hello").describe());
        echo.create("hello").run(new ActionEvent("e1", "e1/c", "e1/c/a", "CONDDEATH", 42, Instant.EPOCH, "d"));
        assertTrue(Calls.snapshot().contains("run echo hello e1"));
        assertLogged("started action plugin ECHO (" + EchoAction.class.getName() + ")", "priority 20");
        assertLogged("started condition detector disk-space (" + DiskDetector.class.getName() + ")", "priority 10");
        assertLogged("plugins started: action types ECHO, LATE; condition detectors disk-space, noisy");
    }

    @Test
    void typeLookupIgnoresCase() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();
        assertTrue(h.actionPlugin("echo") == h.actionPlugin("ECHO"));
        assertTrue(h.actionPlugin("Late") == h.actionPlugin("LATE"));
    }

    @Test
    void unknownTypeIsEinvalListingTheKnownOnes() throws Exception {
        PluginHost h = host(pluginDir());
        HamException before = assertThrows(HamException.class, () -> h.actionPlugin("ECHO"));
        assertEquals("EINVAL: no action plugin of type 'ECHO' (known: none)", before.getMessage());
        h.start();
        HamException e = assertThrows(HamException.class, () -> h.actionPlugin("HTTP_POST"));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("no action plugin of type 'HTTP_POST' (known: ECHO, LATE)", e.detail());
        // A detector is not an action type; nor is a plugin that failed to start.
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> h.actionPlugin("disk-space")).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> h.actionPlugin("FAILING")).errno());
        assertEquals(Errno.EINVAL, assertThrows(HamException.class, () -> h.actionPlugin(null)).errno());
    }

    @Test
    void startsInPriorityOrderWithContextFirstAndStopsInReverse() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();

        // disk-space (10), FAILING (15, fails), ECHO (20), then the default priority 1000 by name:
        // LATE before noisy. BADINIT (5) failed in init: none of its methods ran.
        assertEquals(List.of(
                "init disk-space ctx:disk-space", "base-post disk-space ctx:disk-space", "post disk-space",
                "init FAILING ctx:FAILING", "base-post FAILING ctx:FAILING", "post FAILING",
                "init ECHO ctx:ECHO", "base-post ECHO ctx:ECHO", "post ECHO",
                "init LATE ctx:LATE", "base-post LATE ctx:LATE", "post LATE",
                "init noisy ctx:noisy", "base-post noisy ctx:noisy", "post noisy"), Calls.snapshot());
        assertEquals(List.of("BADINIT", "disk-space", "FAILING", "ECHO", "LATE", "noisy"), contextsGiven);

        Calls.reset();
        h.close();
        // Reverse start order; within a plugin superclass first, as for @PostConstruct. noisy's
        // @PreDestroy throws: logged, and the others still stop. FAILING is not destroyed.
        assertEquals(List.of(
                "base-pre noisy", "pre noisy",
                "base-pre LATE", "pre LATE",
                "base-pre ECHO", "pre ECHO",
                "base-pre disk-space", "pre disk-space"), Calls.snapshot());
        assertLogged("@PreDestroy " + NoisyStopDetector.class.getName() + ".stopping()", "condition detector noisy",
                "failed", "noisy cannot stop cleanly");
        assertLogged("stopped action plugin ECHO");
        assertEquals(List.of(), h.actionTypes());
        assertEquals(List.of(), h.detectorNames());
        assertEquals("no action plugin of type 'ECHO' (known: none)",
                assertThrows(HamException.class, () -> h.actionPlugin("ECHO")).detail());
    }

    @Test
    void aPluginWhosePostConstructThrowsIsSkippedAndNotDestroyed() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();
        assertFalse(h.actionTypes().contains("FAILING"));
        assertLogged("skipped action plugin FAILING (" + FailingStartAction.class.getName() + ")",
                "@PostConstruct " + FailingStartAction.class.getName() + ".started() failed",
                "IllegalStateException: no backend for FAILING");
        h.close();
        assertFalse(Calls.snapshot().contains("pre FAILING"), Calls.snapshot().toString());
        assertFalse(Calls.snapshot().contains("base-pre FAILING"), Calls.snapshot().toString());
    }

    @Test
    void aPluginWhoseInitThrowsIsSkipped() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();
        assertLogged("skipped action plugin BADINIT (" + FailingInitAction.class.getName() + ")", "init failed",
                "BADINIT wants a setting it does not get");
        h.close();
        assertTrue(Calls.snapshot().stream().noneMatch(c -> c.contains("BADINIT")), Calls.snapshot().toString());
    }

    @Test
    void badNamesAreSkipped() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();
        assertLogged("skipped action plugin " + BadNameAction.class.getName(), "'no spaces!'",
                "letters, digits, '_' and '-'");
    }

    @Test
    void aLifecycleMethodWithArgumentsKeepsThePluginOutBeforeInit() throws Exception {
        Path jar = jar(dir.resolve("bad-lifecycle.jar"), Map.of(ACTIONS, names(BadLifecycleAction.class)),
                BadLifecycleAction.class);
        PluginHost h = host(jar);
        h.start();
        assertEquals(List.of(), h.actionTypes());
        assertEquals(List.of(), Calls.snapshot());
        assertLogged("skipped action plugin BADLIFECYCLE", BadLifecycleAction.class.getName() + ".started()",
                "takes no arguments");
    }

    @Test
    void providersThatCannotBeLoadedOrInstantiatedAreSkippedWithALogLine() throws Exception {
        List<String> providers = new ArrayList<>(names(NoDefaultConstructorAction.class));
        providers.add(MISSING_CLASS);
        providers.addAll(names(ExplodingConstructorAction.class, EchoAction.class));
        Path jar = jar(dir.resolve("broken.jar"), Map.of(ACTIONS, providers), NoDefaultConstructorAction.class,
                ExplodingConstructorAction.class, EchoAction.class, RecordingPlugin.class, Calls.class);
        PluginHost h = host(jar);
        h.start();

        // The broken ones never stop the good one after them.
        assertEquals(List.of("ECHO"), h.actionTypes());
        assertLogged("skipped a plugin provider", NoDefaultConstructorAction.class.getName());
        assertLogged("skipped a plugin provider", MISSING_CLASS);
        assertLogged("skipped a plugin provider", ExplodingConstructorAction.class.getName(),
                "boom in the constructor");
    }

    @Test
    void aDuplicateTypeIsSkippedNamingBothClasses() throws Exception {
        Path plugins = pluginDir();
        Path twin = jar(dir.resolve("twin.jar"), Map.of(ACTIONS, names(EchoTwinAction.class)), EchoTwinAction.class);
        PluginHost h = host(plugins, twin);
        h.start();

        assertEquals(List.of("ECHO", "LATE"), h.actionTypes());
        assertInstanceOf(EchoAction.class, h.actionPlugin("echo"));
        List<String> lines = logLines("skipped action plugin echo (" + EchoTwinAction.class.getName() + ")",
                EchoAction.class.getName());
        assertEquals(1, lines.size(), log.toString());
        // The duplicate was never initialised.
        assertFalse(contextsGiven.contains("echo"));
    }

    @Test
    void jarsOfADirectoryLoadInNameOrder() throws Exception {
        Path plugins = Files.createDirectory(dir.resolve("ordered"));
        // Same name and priority: the one found first wins, and a-clone.jar sorts before b-echo.jar.
        jar(plugins.resolve("b-echo.jar"), Map.of(ACTIONS, names(EchoAction.class)), EchoAction.class);
        jar(plugins.resolve("a-clone.jar"), Map.of(ACTIONS, names(EchoCloneAction.class)), EchoCloneAction.class);
        PluginHost h = host(plugins);
        h.start();
        assertInstanceOf(EchoCloneAction.class, h.actionPlugin("ECHO"));
        assertLogged("skipped action plugin ECHO (" + EchoAction.class.getName() + ")",
                EchoCloneAction.class.getName());
    }

    @Test
    void missingPathEntriesAreLoggedAndSkipped() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        Path missingJar = dir.resolve("gone.jar");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        PluginHost h = host(missing, pluginDir(), missingJar, empty);
        h.start();
        assertEquals(List.of("ECHO", "LATE"), h.actionTypes());
        assertLogged("plugin path entry " + missing + " does not exist");
        assertLogged("plugin path entry " + missingJar + " does not exist");
        assertLogged("plugin directory " + empty + " holds no jars");
    }

    @Test
    void closeIsIdempotentAndEndsTheHost() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();
        h.close();
        List<String> calls = Calls.snapshot();
        int lines = log.size();
        h.close();
        assertEquals(calls, Calls.snapshot());
        assertEquals(lines, log.size());
        assertThrows(IllegalStateException.class, h::start);
    }

    @Test
    void startsOnlyOnce() throws Exception {
        PluginHost h = host(pluginDir());
        h.start();
        assertThrows(IllegalStateException.class, h::start);
        assertEquals(List.of("ECHO", "LATE"), h.actionTypes());
    }

    @Test
    void closeBeforeStartIsHarmless() {
        PluginHost h = host();
        h.close();
        assertEquals(List.of(), Calls.snapshot());
        assertThrows(IllegalStateException.class, h::start);
    }

    @Test
    void parsePathSplitsOnColonAndIgnoresEmptyParts() {
        assertEquals(List.of(Path.of("/a"), Path.of("b/c.jar")), PluginHost.parsePath("/a:b/c.jar"));
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), PluginHost.parsePath("::/a:::/b:"));
        assertEquals(List.of(), PluginHost.parsePath(""));
        HamException e = assertThrows(HamException.class, () -> PluginHost.parsePath("/a:/b\0c"));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("'/b\0c'"), e.getMessage());
    }

    private static List<String> names(Class<?>... classes) {
        return Stream.of(classes).map(Class::getName).collect(Collectors.toList());
    }

    /**
     * Writes a jar holding {@code services} (file name → provider class names) and the class files
     * of {@code classes} with their nested classes, copied from the test classes directory.
     */
    private static Path jar(Path file, Map<String, List<String>> services, Class<?>... classes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out)) {
            for (Map.Entry<String, List<String>> s : services.entrySet()) {
                jar.putNextEntry(new JarEntry(s.getKey()));
                jar.write((String.join("\n", s.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            for (Class<?> c : classes) {
                String packageDir = c.getPackageName().replace('.', '/');
                for (Path classFile : classFiles(c)) {
                    jar.putNextEntry(new JarEntry(packageDir + "/" + classFile.getFileName()));
                    jar.write(Files.readAllBytes(classFile));
                    jar.closeEntry();
                }
            }
        }
        return file;
    }

    /** {@code c}'s class file and those of its nested and anonymous classes. */
    private static List<Path> classFiles(Class<?> c) throws IOException {
        Path root;
        try {
            root = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path packageDir = root.resolve(c.getPackageName().replace('.', '/'));
        String simple = c.getSimpleName();
        try (Stream<Path> files = Files.list(packageDir)) {
            List<Path> found = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.equals(simple + ".class") || n.startsWith(simple + "$") && n.endsWith(".class");
            }).sorted().collect(Collectors.toList());
            assertFalse(found.isEmpty(), "no class file for " + c.getName() + " in " + packageDir);
            return found;
        }
    }
}
