package org.slab4j.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@link java.lang.foreign.MemorySegment} field of a {@link Slab} class that receives the instance's
 * backing segment. The field must be non-static and non-final; after {@link org.slab4j.Slabs#free(Object)} it holds
 * {@link java.lang.foreign.MemorySegment#NULL}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface SlabSegment {}
