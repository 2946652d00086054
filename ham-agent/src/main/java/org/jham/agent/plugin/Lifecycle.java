package org.jham.agent.plugin;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * A plugin class's Jakarta lifecycle methods ({@code @PostConstruct}, {@code @PreDestroy}) as the
 * Jakarta Annotations and Interceptors specifications define them: instance methods of any access
 * that take no arguments and return void, declared on the class or its superclasses; the
 * superclasses' first; a method overridden by a subclass is not called (the override is, if it
 * carries the annotation itself). Stateless and thread-safe.
 */
final class Lifecycle {
    private Lifecycle() {
    }

    /**
     * The methods of {@code type} annotated with {@code annotation}, in call order.
     *
     * @throws IllegalArgumentException naming the method when an annotated method is static, takes
     *         arguments or returns a value (Jakarta: such a class must not be put into service)
     */
    static List<Method> methods(Class<?> type, Class<? extends Annotation> annotation) {
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.addFirst(c);
        }
        List<Class<?>> topDown = new ArrayList<>(hierarchy);
        List<Method> result = new ArrayList<>();
        for (int i = 0; i < topDown.size(); i++) {
            Class<?> c = topDown.get(i);
            // Jakarta allows one per class; should a class have several, call them in a stable order.
            Method[] declared = c.getDeclaredMethods();
            Arrays.sort(declared, Comparator.comparing(Method::getName));
            for (Method m : declared) {
                if (m.isSynthetic() || !m.isAnnotationPresent(annotation)) {
                    continue;
                }
                if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0
                        || m.getReturnType() != void.class) {
                    throw new IllegalArgumentException("@" + annotation.getSimpleName() + " method " + describe(m)
                            + " must be an instance method that takes no arguments and returns void");
                }
                if (!overridden(m, topDown.subList(i + 1, topDown.size()))) {
                    result.add(m);
                }
            }
        }
        return List.copyOf(result);
    }

    /**
     * Calls {@code m} on {@code target}, making it accessible first; returns normally or throws
     * what the method threw (unwrapped), or why it could not be called.
     */
    static void invoke(Object target, Method m) throws Throwable {
        if (!m.trySetAccessible()) {
            throw new IllegalAccessException("cannot make " + describe(m) + " accessible");
        }
        try {
            m.invoke(target);
        } catch (InvocationTargetException e) {
            throw Objects.requireNonNullElse(e.getCause(), e);
        }
    }

    /** {@code pkg.Class.method()}, as log lines name a lifecycle method. */
    static String describe(Method m) {
        return m.getDeclaringClass().getName() + "." + m.getName() + "()";
    }

    /** Whether one of {@code subclasses} (all below the declaring class) overrides {@code m}. */
    private static boolean overridden(Method m, List<Class<?>> subclasses) {
        int mods = m.getModifiers();
        if (Modifier.isPrivate(mods) || m.getParameterCount() != 0) {
            return false;
        }
        boolean packagePrivate = !Modifier.isPublic(mods) && !Modifier.isProtected(mods);
        for (Class<?> s : subclasses) {
            for (Method o : s.getDeclaredMethods()) {
                if (o.getName().equals(m.getName()) && o.getParameterCount() == 0 && !o.isSynthetic()
                        && !Modifier.isStatic(o.getModifiers()) && !Modifier.isPrivate(o.getModifiers())
                        && (!packagePrivate || s.getPackageName().equals(m.getDeclaringClass().getPackageName()))) {
                    return true;
                }
            }
        }
        return false;
    }
}
