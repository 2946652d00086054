package org.jham.agent.plugin;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jham.Errno;
import org.jham.HamException;
import org.jham.spi.ActionPlugin;
import org.jham.spi.ConditionDetector;
import org.jham.spi.HamPlugin;
import org.jham.spi.PluginContext;

/**
 * The HAM's plugins: loads the {@link ActionPlugin}s and {@link ConditionDetector}s of the jars on
 * a plugin path, starts them in {@link Priority} order and stops them in the reverse order.
 *
 * <p>{@link #start()} reads each path entry (a directory: every {@code *.jar} in it, by name; a
 * file: that jar; a missing entry is logged and skipped), builds one class loader over all the
 * jars whose parent is the SPI's class loader, and finds the providers with {@link ServiceLoader}
 * (so providers on the HAM's own class path are found too, as ServiceLoader always does). It
 * orders them by the {@link Priority} on the class (lowest first; none =
 * {@link HamPlugin#DEFAULT_PRIORITY}; ties by name), checks their names (letters, digits, '_' and
 * '-'; unique per kind, ignoring case), then for each in order calls {@code init} with the context
 * {@code contextFor} gives for its name and then its {@link PostConstruct} methods. Whatever goes
 * wrong with one plugin (its class cannot be loaded or instantiated, a bad or duplicate name, a
 * failing {@code init} or {@code @PostConstruct}) is logged and leaves that plugin out, never
 * failing the rest; a plugin left out after {@code init} is not destroyed. {@link #close()} calls
 * the {@link PreDestroy} methods of the started plugins in the reverse order, then closes the
 * class loader.
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} are serialized with each other; plugin
 * code ({@code init}, {@code @PostConstruct}, {@code @PreDestroy}) runs on the thread that calls
 * them. The look-ups never wait for either: they see the plugins of a completed start, and none
 * once close has begun. {@code log} is called on the thread of start or close.
 */
public final class PluginHost implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** A service loader may keep failing on a broken jar; past this many errors we stop asking it. */
    private static final int MAX_PROVIDER_ERRORS = 100;

    private final List<Path> pluginPath;
    private final Function<String, PluginContext> contextFor;
    private final Consumer<String> log;

    private final Object lifecycleLock = new Object();
    // Guarded by lifecycleLock.
    private boolean startCalled;
    private boolean closed;
    private URLClassLoader loader;
    private final List<Plugin> started = new ArrayList<>();

    /** What the look-ups see: replaced whole, never changed. */
    private volatile Registry registry = Registry.EMPTY;

    /**
     * @param pluginPath the jars and directories of jars to load, in order
     * @param contextFor the context to hand the plugin of a name to its {@code init}
     * @param log        receives one line per notable event (a plugin loaded, started, skipped and why)
     */
    public PluginHost(List<Path> pluginPath, Function<String, PluginContext> contextFor, Consumer<String> log) {
        this.pluginPath = List.copyOf(pluginPath);
        this.contextFor = Objects.requireNonNull(contextFor, "contextFor");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Splits a plugin path on {@link File#pathSeparator} ({@code ':'}), ignoring empty parts; the
     * paths are as given (not made absolute).
     *
     * @throws HamException EINVAL naming a part that is not a path
     */
    public static List<Path> parsePath(String path) {
        List<Path> result = new ArrayList<>();
        for (String part : path.split(Pattern.quote(File.pathSeparator), -1)) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                result.add(Path.of(part));
            } catch (InvalidPathException e) {
                throw new HamException(Errno.EINVAL, "plugin path entry '" + part + "' is not a path: "
                        + e.getReason());
            }
        }
        return List.copyOf(result);
    }

    /**
     * Loads and starts the plugins; see the class comment. Never fails for a plugin's fault.
     *
     * @throws IllegalStateException when called a second time or after {@link #close()}
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (closed) {
                throw new IllegalStateException("the plugin host is closed");
            }
            if (startCalled) {
                throw new IllegalStateException("the plugin host is already started");
            }
            startCalled = true;
            loader = new URLClassLoader("jham-plugins", jarUrls(), HamPlugin.class.getClassLoader());
            List<Plugin> found = new ArrayList<>();
            discover(Kind.ACTION, found);
            discover(Kind.DETECTOR, found);
            found.sort(Comparator.comparingInt(Plugin::priority).thenComparing(Plugin::name));
            try {
                for (Plugin p : unique(found)) {
                    startOne(p).ifPresent(started::add);
                }
            } finally {
                // Published even if plugin code threw an Error through us, so close() stops what started.
                registry = Registry.of(started);
            }
            Registry r = registry;
            log.accept("plugins started: action types " + listed(r.actionTypes()) + "; condition detectors "
                    + listed(r.detectorNames()));
        }
    }

    /**
     * The started action plugin of {@code type}, ignoring case.
     *
     * @throws HamException EINVAL when there is none, listing the known types
     */
    public ActionPlugin actionPlugin(String type) {
        Registry r = registry;
        ActionPlugin p = type == null ? null : r.actions().get(key(type));
        if (p == null) {
            throw new HamException(Errno.EINVAL, "no action plugin of type '" + type + "' (known: "
                    + listed(r.actionTypes()) + ")");
        }
        return p;
    }

    /** The types of the started action plugins, in start order. */
    public List<String> actionTypes() {
        return registry.actionTypes();
    }

    /** The names of the started condition detectors, in start order. */
    public List<String> detectorNames() {
        return registry.detectorNames();
    }

    /**
     * Stops the started plugins: their {@link PreDestroy} methods in the reverse start order, each
     * failure logged and the rest still called; then closes the plugins' class loader. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (closed) {
                return;
            }
            closed = true;
            registry = Registry.EMPTY;
            try {
                for (int i = started.size() - 1; i >= 0; i--) {
                    Plugin p = started.get(i);
                    for (Method m : p.preDestroy()) {
                        try {
                            Lifecycle.invoke(p.instance(), m);
                        } catch (VirtualMachineError e) {
                            throw e;
                        } catch (Throwable t) {
                            log.accept("@PreDestroy " + Lifecycle.describe(m) + " of " + p + " failed: " + describe(t));
                        }
                    }
                    log.accept("stopped " + p);
                }
                started.clear();
            } finally {
                if (loader != null) {
                    try {
                        loader.close();
                    } catch (IOException e) {
                        log.accept("cannot close the plugin class loader: " + describe(e));
                    }
                }
            }
        }
    }

    /** The jars of the plugin path, each once, in path order. */
    private URL[] jarUrls() {
        Set<Path> jars = new LinkedHashSet<>();
        for (Path entry : pluginPath) {
            if (Files.isDirectory(entry)) {
                List<Path> inDir;
                try (Stream<Path> s = Files.list(entry)) {
                    inDir = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                            .collect(Collectors.toList());
                } catch (IOException | UncheckedIOException e) {
                    log.accept("cannot list plugin directory " + entry + ": " + describe(e) + "; skipped");
                    continue;
                }
                if (inDir.isEmpty()) {
                    log.accept("plugin directory " + entry + " holds no jars");
                }
                inDir.forEach(j -> jars.add(j.toAbsolutePath().normalize()));
            } else if (Files.isRegularFile(entry)) {
                jars.add(entry.toAbsolutePath().normalize());
            } else if (Files.exists(entry)) {
                log.accept("plugin path entry " + entry + " is neither a directory nor a file; skipped");
            } else {
                log.accept("plugin path entry " + entry + " does not exist; skipped");
            }
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                log.accept("plugin jar " + jar + " has no URL: " + describe(e) + "; skipped");
            }
        }
        return urls.toArray(URL[]::new);
    }

    /** Instantiates the providers of {@code kind} with a valid name; logs and skips the others. */
    private void discover(Kind kind, List<Plugin> into) {
        Iterator<? extends HamPlugin> it = ServiceLoader.load(kind.service, loader).iterator();
        int errors = 0;
        while (true) {
            HamPlugin instance;
            try {
                if (!it.hasNext()) {
                    return;
                }
                instance = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // The iterator has moved past the broken provider; the next one may be fine.
                log.accept("skipped a plugin provider: " + describe(e));
                if (++errors >= MAX_PROVIDER_ERRORS) {
                    log.accept("gave up looking for more " + kind.label + "s after " + errors + " errors");
                    return;
                }
                continue;
            }
            Class<?> type = instance.getClass();
            String name;
            try {
                name = instance.name();
            } catch (RuntimeException | LinkageError e) {
                log.accept("skipped " + kind.label + " " + type.getName() + ": name() failed: " + describe(e));
                continue;
            }
            if (name == null || !NAME.matcher(name).matches()) {
                log.accept("skipped " + kind.label + " " + type.getName() + ": its name "
                        + (name == null ? "is null" : "'" + name + "' is not only letters, digits, '_' and '-'"));
                continue;
            }
            Priority priority = type.getAnnotation(Priority.class);
            into.add(new Plugin(kind, instance, name, priority == null ? HamPlugin.DEFAULT_PRIORITY : priority.value(),
                    List.of()));
        }
    }

    /** {@code ordered} without the plugins whose name an earlier one of the same kind has. */
    private List<Plugin> unique(List<Plugin> ordered) {
        Map<Kind, Map<String, Plugin>> byKind = new HashMap<>();
        List<Plugin> result = new ArrayList<>();
        for (Plugin p : ordered) {
            Plugin first = byKind.computeIfAbsent(p.kind(), k -> new HashMap<>()).putIfAbsent(key(p.name()), p);
            if (first == null) {
                result.add(p);
            } else {
                log.accept("skipped " + p + ": " + first + " has that name already (names are unique per kind, "
                        + "ignoring case)");
            }
        }
        return result;
    }

    /** init, then the @PostConstruct methods: the started plugin, or empty (logged) when it must not be used. */
    private Optional<Plugin> startOne(Plugin p) {
        Class<?> type = p.instance().getClass();
        List<Method> postConstruct;
        List<Method> preDestroy;
        try {
            postConstruct = Lifecycle.methods(type, PostConstruct.class);
            preDestroy = Lifecycle.methods(type, PreDestroy.class);
        } catch (IllegalArgumentException | LinkageError e) {
            log.accept("skipped " + p + ": " + describe(e));
            return Optional.empty();
        }
        try {
            p.instance().init(contextFor.apply(p.name()));
        } catch (RuntimeException | LinkageError e) {
            log.accept("skipped " + p + ": init failed: " + describe(e));
            return Optional.empty();
        }
        for (Method m : postConstruct) {
            try {
                Lifecycle.invoke(p.instance(), m);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                log.accept("skipped " + p + ": @PostConstruct " + Lifecycle.describe(m) + " failed: " + describe(t));
                return Optional.empty();
            }
        }
        log.accept("started " + p + ", priority " + p.priority() + ", from " + location(type));
        return Optional.of(p.withPreDestroy(preDestroy));
    }

    private static String location(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? "an unknown location" : cs.getLocation().toString();
    }

    private static String key(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    private static String listed(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** A throwable and its causes on one line, for the log. */
    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t));
        Set<Throwable> seen = new LinkedHashSet<>();
        seen.add(t);
        for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
            sb.append("; caused by ").append(c);
        }
        return sb.toString();
    }

    private enum Kind {
        ACTION("action plugin", ActionPlugin.class),
        DETECTOR("condition detector", ConditionDetector.class);

        final String label;
        final Class<? extends HamPlugin> service;

        Kind(String label, Class<? extends HamPlugin> service) {
            this.label = label;
            this.service = service;
        }
    }

    /** One loaded plugin: its kind, instance, validated name, priority and, once started, its @PreDestroy methods. */
    private record Plugin(Kind kind, HamPlugin instance, String name, int priority, List<Method> preDestroy) {
        Plugin withPreDestroy(List<Method> methods) {
            return new Plugin(kind, instance, name, priority, methods);
        }

        @Override
        public String toString() {
            return kind.label + " " + name + " (" + instance.getClass().getName() + ")";
        }
    }

    /** The started plugins as the look-ups see them. */
    private record Registry(Map<String, ActionPlugin> actions, List<String> actionTypes, List<String> detectorNames) {
        static final Registry EMPTY = new Registry(Map.of(), List.of(), List.of());

        static Registry of(List<Plugin> started) {
            Map<String, ActionPlugin> actions = new LinkedHashMap<>();
            List<String> types = new ArrayList<>();
            List<String> detectors = new ArrayList<>();
            for (Plugin p : started) {
                if (p.kind() == Kind.ACTION) {
                    actions.put(key(p.name()), (ActionPlugin) p.instance());
                    types.add(p.name());
                } else {
                    detectors.add(p.name());
                }
            }
            return new Registry(Map.copyOf(actions), List.copyOf(types), List.copyOf(detectors));
        }
    }
}
