/**
 * The client recovery library of the guide's chapters 5 and 7 ({@code ha_*}): HA-aware
 * connections that recover through a user recovery function. Built by its own issue; the module
 * exists now so that the build layout tells the architecture.
 */
package org.jham.recovery;
