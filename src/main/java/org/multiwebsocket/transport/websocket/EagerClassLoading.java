package org.multiwebsocket.transport.websocket;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads every class of the gateway ({@code org.multiwebsocket}) as the application starts. While the
 * application stops, the gateway still works: calls in flight finish and their answers go out or, for a
 * session, into the grid. By then Payara's web class loader has stopped and loads nothing more, so a
 * class first needed then (a session's first answer on this node, a rare error) would fail with
 * {@code NoClassDefFoundError} and the answer would be lost. Loading takes a few milliseconds; classes
 * are not initialised here.
 */
@WebListener
public class EagerClassLoading implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(EagerClassLoading.class.getName());
    private static final String ROOT = "/WEB-INF/classes/org/multiwebsocket/";
    private static final String CLASSES = "/WEB-INF/classes/";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        ClassLoader loader = EagerClassLoading.class.getClassLoader();
        int loaded = 0;
        Deque<String> folders = new ArrayDeque<>(Set.of(ROOT));
        while (!folders.isEmpty()) {
            Set<String> paths = context.getResourcePaths(folders.pop());
            for (String path : paths == null ? Set.<String>of() : paths) {
                if (path.endsWith("/")) {
                    folders.push(path);
                } else if (path.endsWith(".class") && load(loader, path)) {
                    loaded++;
                }
            }
        }
        int count = loaded;
        LOG.fine(() -> count + " gateway classes loaded ahead, for a clean shutdown");
    }

    private static boolean load(ClassLoader loader, String path) {
        String name = path.substring(CLASSES.length(), path.length() - ".class".length()).replace('/', '.');
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.log(Level.FINE, name + " was not loaded ahead", e);
            return false;
        }
    }
}
