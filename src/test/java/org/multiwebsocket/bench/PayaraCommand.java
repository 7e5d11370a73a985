package org.multiwebsocket.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a Payara Micro under test: this JDK's java, {@code bench.serverJvm}, the given properties and arguments. */
final class PayaraCommand {

    private PayaraCommand() {
    }

    /**
     * @param options   JVM options after {@code bench.serverJvm} ({@code -D…}, logging)
     * @param arguments Payara Micro's own ({@code --deploy}, {@code --port}, …); {@code --disablephonehome} is added
     */
    static List<String> of(Settings s, List<String> options, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(s.serverJvm.trim().split("\\s+")));
        command.addAll(options);
        command.addAll(List.of("-jar", System.getProperty("payara.microJar", "target/payara-micro.jar")));
        command.addAll(arguments);
        command.add("--disablephonehome");
        return command;
    }

    /** The gateway WAR under test ({@code bench.war}), deployed at {@code /}. */
    static String war() {
        return Path.of(System.getProperty("multiwebsocket.war", "target/multiwebsocket.war")).toAbsolutePath() + ":/";
    }
}
