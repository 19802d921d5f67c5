/** The annotations users put on classes whose instances live on slabs: {@link org.slab4j.annotation.Slab}. */
package org.slab4j.annotation;
