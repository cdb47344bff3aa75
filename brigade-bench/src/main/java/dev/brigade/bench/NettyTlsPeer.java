package dev.brigade.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.File;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The TLS benchmark's Netty peer: the shared harness's Netty configuration (epoll, one loop per
 * core, HttpServerCodec) behind Netty's SslHandler on the JDK provider (as the issue asks: the same
 * SSLEngine as Brigade's), TLS 1.3 and 1.2. Files go through ChunkedNioFile, since sendfile cannot
 * cross TLS.
 *
 * <pre>  java -cp brigade-bench.jar dev.brigade.bench.NettyTlsPeer PORT STATIC_DIR CERT.pem KEY.pem</pre>
 */
public final class NettyTlsPeer {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path root = Path.of(args[1]);
        SslContext ssl = SslContextBuilder.forServer(new File(args[2]), new File(args[3]))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2").build();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        Class<? extends ServerSocketChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ChannelFuture bound = new ServerBootstrap().group(group).channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(),
                                new HttpObjectAggregator(64 * 1024), new ChunkedWriteHandler(), new Handler(root));
                    }
                }).bind("127.0.0.1", port).sync();
        System.err.println("netty-tls: listening on 127.0.0.1:" + port + (epoll ? " (epoll)" : " (nio)"));
        bound.channel().closeFuture().sync();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Path root;

        Handler(Path root) {
            this.root = root;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String uri = req.uri();
            if (uri.equals("/plaintext")) {
                ByteBuf body = Unpooled.wrappedBuffer(PLAINTEXT);
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, PLAINTEXT.length);
                send(ctx, r, keepAlive);
                return;
            }
            if (uri.startsWith("/static/") && !uri.contains("..")) {
                Path file = root.resolve(uri.substring("/static/".length()));
                if (Files.isRegularFile(file)) {
                    FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
                    long length = fc.size();
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream").set(HttpHeaderNames.CONTENT_LENGTH, length);
                    if (!keepAlive) {
                        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    }
                    ctx.write(r);
                    ChannelFuture last = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(fc, 0, length, 16 * 1024)));
                    if (!keepAlive) {
                        last.addListener(ChannelFutureListener.CLOSE);
                    }
                    return;
                }
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            send(ctx, r, keepAlive);
        }

        private static void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(r);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
