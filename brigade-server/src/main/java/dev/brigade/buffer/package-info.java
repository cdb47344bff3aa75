/**
 * Reference-counted buffers ({@link dev.brigade.buffer.RefBuf}), their pools and the leak
 * detector. Imports the JDK only; any thread may release a buffer.
 */
package dev.brigade.buffer;
