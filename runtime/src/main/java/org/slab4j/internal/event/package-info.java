/**
 * The allocator's JFR events ({@code jdk.jfr.Event}, category "slab4j") and the facade the slow paths call. It
 * depends on nothing else of slab4j, so the slab layer can raise events without a cycle through the report package.
 */
package org.slab4j.internal.event;
