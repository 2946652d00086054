package org.jham.agent.engine;

/** What kind of entity a tree node is; shown as "Entity type" in {@code .info}. */
public enum EntityType {
    /** A running process attached by pid. */
    ATTACHED,
    /** A process the HAM started from a command line (its exit status is known). */
    STARTED,
    /** A process that attached itself (ham_attach_self). */
    SELFATTACHED,
    /** Created by ham_entity before any process; a later attach fills it. */
    PLACEHOLDER,
    /** The global entity: its conditions match events of every entity. */
    GLOBAL
}
