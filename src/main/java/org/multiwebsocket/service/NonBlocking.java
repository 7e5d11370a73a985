package org.multiwebsocket.service;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a {@link Service}'s handler returns at once: it computes its answer from memory, or
 * returns a {@link java.util.concurrent.CompletionStage} and does its waiting elsewhere, and never
 * blocks on I/O, a lock or a sleep. The gateway then calls it on the thread that read the frame
 * instead of handing it to a worker thread, which saves a thread hop per call.
 *
 * <p>The contract is the author's to keep: a non-blocking handler that blocks stalls every later frame
 * of the connection it was called from, and cannot be interrupted by its deadline (the call is still
 * answered -32003 when the deadline passes first). Put it on the bean class or on its {@code call}
 * method.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface NonBlocking {
}
