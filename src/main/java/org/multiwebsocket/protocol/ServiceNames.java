package org.multiwebsocket.protocol;

import org.multiwebsocket.service.Service;

/**
 * Service names (PROTOCOL.md section 2): {@code "/helloworld/"}, {@code "/helloworld"} and
 * {@code "helloworld"} are one name. Used by the gateway and the Java client alike.
 */
public final class ServiceNames {

    /** Names starting with this are the built-in methods ({@code rpc.ping}, {@code rpc.cancel}, ...). */
    public static final String RESERVED_PREFIX = "rpc.";

    private ServiceNames() {
    }

    /**
     * @param name a service name in any of its forms
     * @return the canonical form: leading and trailing slashes dropped, inner slashes kept
     */
    public static String canonical(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '/') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '/') {
            end--;
        }
        return name.substring(start, end);
    }

    /**
     * @param declared a name as a bean declares it
     * @return why it cannot be a service name, or null when it can
     */
    public static String problem(String declared) {
        String canonical = canonical(declared);
        if (canonical.isEmpty()) {
            return "the service name '" + declared + "' is empty once its slashes are dropped";
        }
        if (canonical.startsWith(RESERVED_PREFIX)) {
            return "the service name '" + declared + "' starts with 'rpc.', which is reserved for built-in methods";
        }
        if (canonical.contains("//")) {
            return "the service name '" + declared + "' contains an empty path segment ('//')";
        }
        for (int i = 0; i < canonical.length(); i++) {
            if (Character.isWhitespace(canonical.charAt(i)) || Character.isISOControl(canonical.charAt(i))) {
                return "the service name '" + declared + "' contains white space or control characters";
            }
        }
        return null;
    }
}
