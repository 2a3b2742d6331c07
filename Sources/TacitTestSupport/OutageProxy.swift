import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP proxy on a loopback port in front of a server, that a test switches between working
/// and failing the ways a database outage looks to a client, without touching the server
/// (which other tests share).
///
/// Blocking sockets, a thread per direction of each connection; for tests only.
/// `@unchecked Sendable`: `mode` and `connections` are only touched under `lock`.
public final class OutageProxy: @unchecked Sendable {
    /// How the proxy treats connections.
    public enum Mode: Sendable {
        /// Bytes flow both ways.
        case forwarding
        /// A hung server: open connections stop forwarding (a statement in flight never gets an
        /// answer) and new connections are accepted but never answered.
        case hanging
        /// A server that is down: open connections are closed and new ones are closed at once.
        case dropping
    }

    /// The port clients connect to.
    public let port: Int
    private let targetPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var mode = Mode.forwarding
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var held: [Int32] = []
    private var stopped = false

    /// Listens on `127.0.0.1` (a free port) and forwards to `127.0.0.1:targetPort`.
    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Self.spawn { [self] in acceptLoop() }
    }

    /// Runs `body` on a new POSIX thread. Not Foundation's `Thread`: on Linux its blocks were
    /// seen running on the threads of the Swift concurrency pool, where a blocking `accept` or
    /// `recv` starves every task (two cores give that pool two threads).
    private static func spawn(_ body: @escaping @Sendable () -> Void) {
        final class Box { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        let argument = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
            return nil
        }, argument)
        if created == 0 { pthread_detach(thread) } else { Unmanaged<Box>.fromOpaque(argument).release() }
    }

    /// Switches to `mode` (closing or freezing the open connections as it says).
    public func set(_ mode: Mode) {
        let (open, silent): ([Connection], [Int32]) = lock.withLock {
            self.mode = mode
            let silent = mode == .hanging ? [] : held
            if mode != .hanging { held = [] }
            return (mode == .dropping ? Array(connections.values) : [], silent)
        }
        for connection in open { connection.cut() }
        for fd in silent { close(fd) }
    }

    /// Stops listening and closes every connection.
    public func stop() {
        lock.withLock { stopped = true }
        set(.dropping)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private var currentMode: Mode { lock.withLock { mode } }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            switch currentMode {
            case .dropping:
                close(client)
            case .hanging:
                lock.withLock { held.append(client) }
            case .forwarding:
                let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = Self.loopback(port: targetPort)
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard connected == 0 else {
                    close(upstream)
                    close(client)
                    continue
                }
                let connection = Connection(client: client, upstream: upstream)
                lock.withLock { connections[ObjectIdentifier(connection)] = connection }
                for (from, to) in [(client, upstream), (upstream, client)] {
                    Self.spawn { [self] in
                        pump(from: from, to: to)
                        connection.cut()
                        if connection.pumpEnded() {
                            _ = lock.withLock { connections.removeValue(forKey: ObjectIdentifier(connection)) }
                        }
                    }
                }
            }
        }
    }

    /// Copies bytes from `from` to `to` until either side ends; while hanging, holds them.
    private func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            while true {
                let mode = currentMode
                if mode == .dropping { return }
                if mode == .forwarding { break }
                usleep(10_000)
            }
            var sent = 0
            while sent < count {
                let n = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                sent += n
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// One proxied connection: both sockets, closed when both pumps have ended.
    private final class Connection: @unchecked Sendable {
        let client: Int32
        let upstream: Int32
        private let lock = NSLock()
        private var ended = 0

        init(client: Int32, upstream: Int32) {
            self.client = client
            self.upstream = upstream
        }

        /// Shuts both sockets down, which ends both pumps.
        func cut() {
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(upstream, Int32(SHUT_RDWR))
        }

        /// Records a pump's end; the second closes the sockets and returns true.
        func pumpEnded() -> Bool {
            let last = lock.withLock { ended += 1; return ended == 2 }
            if last {
                close(client)
                close(upstream)
            }
            return last
        }
    }
}
