package dev.sluice.relay.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void aRefusingPortRefusesConnectionsAndCannotBeTakenByAServer() throws Exception {
    int port = Ports.refusing();
    InetAddress loopback = InetAddress.getLoopbackAddress();

    assertThatThrownBy(() -> new Socket(loopback, port).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> new ServerSocket(port, 1, loopback).close())
        .as("a server started later on that port, SO_REUSEADDR and all")
        .isInstanceOf(BindException.class);
  }
}
