package org.slab4j.internal.report;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an MBean operation or parameter shows in JMX consoles ({@link DescribedMBean} reads it): a description and, for
 * a parameter, its name (JMX names parameters {@code p0}, {@code p1}, ... otherwise).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER})
@interface Described {
    /** @return the description */
    String value();

    /** @return the parameter's name; empty for an operation */
    String name() default "";
}
