package org.multiwebsocket.gateway;

/** Service names: {@code "/helloworld/"}, {@code "/helloworld"} and {@code "helloworld"} are one name. */
final class ServiceNames {

    static final String RESERVED_PREFIX = "rpc.";

    private ServiceNames() {
    }

    /** Drops leading and trailing slashes; inner slashes stay. */
    static String canonical(String name) {
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

    /** Why a declared name cannot be a service name, or null when it can. */
    static String problem(String declared) {
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
