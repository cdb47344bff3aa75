/**
 * Static files: mapping request paths to files under a root that cannot be escaped, content
 * types, and sending with sendfile. Imports {@code api}, {@code filter}, {@code buffer}.
 */
package dev.brigade.files;
