/* Drives the simulator's admin routes (/__admin/...) over a plain socket, so that the
 * network suite can inject faults and read the request log without another library.
 * The admin token is the one run.sh started the simulator with: $AIMIS_SIM_ADMIN_TOKEN. */
#ifndef AIMIS_TEST_ADMIN_H
#define AIMIS_TEST_ADMIN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <winsock2.h>
typedef SOCKET admin_socket;
#define admin_close closesocket
#define admin_socket_ok(fd) ((fd) != INVALID_SOCKET)
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
typedef int admin_socket;
#define admin_close close
#define admin_socket_ok(fd) ((fd) >= 0)
#endif

/* Sends `method path` with an optional JSON body to http://127.0.0.1:PORT of `base_url`;
 * the HTTP status, or -1. The response body (up to size-1 bytes) goes to `response`. */
static int admin_request(const char *base_url, const char *method, const char *path,
                         const char *body, char *response, size_t size) {
    const char *port_text = strrchr(base_url, ':');
    struct sockaddr_in addr;
    char request[2048];
    size_t got = 0;
    int n, status = -1, length;
    admin_socket fd;
    char *buffer = malloc(1 << 20);
    const char *admin_token = getenv("AIMIS_SIM_ADMIN_TOKEN");
    if (buffer == NULL || port_text == NULL) {
        free(buffer);
        return -1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(port_text + 1));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
#ifdef _WIN32
    {
        WSADATA wsa;
        if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
            free(buffer);
            return -1;
        }
    }
#endif
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (!admin_socket_ok(fd) || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (admin_socket_ok(fd)) admin_close(fd);
        free(buffer);
        return -1;
    }
    length = snprintf(request, sizeof request,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                      "Authorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                      method, path, admin_token ? admin_token : "", body ? strlen(body) : 0,
                      body ? body : "");
    if (send(fd, request, length, 0) == length) {
        while (got < (1 << 20) - 1 && (n = recv(fd, buffer + got, (int)((1 << 20) - 1 - got), 0)) > 0)
            got += (size_t)n;
        buffer[got] = '\0';
        if (sscanf(buffer, "HTTP/1.1 %d", &status) != 1) status = -1;
        if (response != NULL && size > 0) {
            const char *start = strstr(buffer, "\r\n\r\n");
            snprintf(response, size, "%s", start ? start + 4 : "");
        }
    }
    admin_close(fd);
    free(buffer);
    return status;
}

#endif
