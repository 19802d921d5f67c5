package org.slab4j.internal.report;

import java.lang.reflect.Method;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * An MXBean whose operations and their parameters carry the names and descriptions of their {@link Described}
 * annotations, so that a JMX console shows {@code tune(limit, batchcount, shared)} rather than {@code tune(p0, p1,
 * p2)}. The interfaces have no overloaded operations, so an operation is found by name.
 *
 * @param <T> the MXBean interface
 */
final class DescribedMBean<T> extends StandardMBean {
    private final Class<T> type;

    DescribedMBean(T bean, Class<T> type) {
        super(bean, type, true);
        this.type = type;
    }

    private Method method(MBeanOperationInfo op) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(op.getName()) && m.getParameterCount() == op.getSignature().length) {
                return m;
            }
        }
        return null;
    }

    private Described parameter(MBeanOperationInfo op, int sequence) {
        Method m = method(op);
        return m == null ? null : m.getParameters()[sequence].getAnnotation(Described.class);
    }

    @Override
    protected String getDescription(MBeanOperationInfo op) {
        Method m = method(op);
        Described d = m == null ? null : m.getAnnotation(Described.class);
        return d == null ? super.getDescription(op) : d.value();
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Described d = parameter(op, sequence);
        return d == null || d.name().isEmpty() ? super.getParameterName(op, param, sequence) : d.name();
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        Described d = parameter(op, sequence);
        return d == null ? super.getDescription(op, param, sequence) : d.value();
    }
}
