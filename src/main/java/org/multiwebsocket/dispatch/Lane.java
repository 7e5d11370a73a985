package org.multiwebsocket.dispatch;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One client's share of the worker threads: a WebSocket connection's, or every HTTP request's from one
 * remote address. At most {@code share} of its calls hold a worker thread at once; the rest wait here,
 * in the client's own queue, so a client that floods a blocking service delays its own calls and no
 * one else's. The queue is made when a call first has to wait.
 */
public final class Lane {

    /** Work a lane runs on a worker thread. */
    interface Task extends Runnable {
        /** The workers refused the task (they are shutting down). */
        void rejected();
    }

    private final int share;
    /** Guarded by this; made when a task first has to wait. */
    private Queue<Task> waiting;
    /** Guarded by this. */
    private int running;
    /** Guarded by this; for lanes shared by several channels (HTTP requests of one address). */
    private int users;

    Lane(int share) {
        this.share = share;
    }

    /** Runs the task on a worker thread now, or queues it behind the lane's running tasks. */
    void submit(Task task, Workers workers) {
        synchronized (this) {
            if (running >= share) {
                if (waiting == null) {
                    waiting = new ArrayDeque<>();
                }
                waiting.add(task);
                return;
            }
            running++;
        }
        execute(task, workers);
    }

    /** A task of this lane gave its worker thread back: the next waiting one may run. */
    void done(Workers workers) {
        Task next;
        synchronized (this) {
            next = waiting == null ? null : waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        execute(next, workers);
    }

    private void execute(Task task, Workers workers) {
        try {
            workers.execute(task);
        } catch (RuntimeException refused) {
            task.rejected();
            done(workers);
        }
    }

    synchronized void use() {
        users++;
    }

    /** @return whether no channel uses the lane any longer */
    synchronized boolean unuse() {
        return --users <= 0;
    }

    /** @return calls of this lane holding a worker thread */
    public synchronized int running() {
        return running;
    }
}
