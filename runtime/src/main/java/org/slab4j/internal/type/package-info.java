/**
 * Internal: the per-type state behind {@link org.slab4j.Slabs} (one cache per {@link org.slab4j.annotation.Slab}
 * class), the allocation-site registry and the reclamation of instances lost without being freed. Not an API.
 */
package org.slab4j.internal.type;
