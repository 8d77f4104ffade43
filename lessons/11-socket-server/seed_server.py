# seed_server.py - the seed's threaded server, ported to Python 3 and kept
# for comparison with server.c (python3 seed_server.py PORT; default 2727).
# It pickles the list as the seed does, with the default protocol (4 or 5
# in Python 3; seed_server_as_printed.py, under Python 2, sends protocol 0).
# Like the seed it serves forever: stop it with Ctrl-C. A parent may hand
# it a listening socket instead, as fd 3 with LISTEN_FDS=1 (the tests do).
import os
import pickle
import socket
import sys
import threading

# We'll pickle a list of numbers:
someList = [1, 2, 7, 9, 0]
pickledList = pickle.dumps(someList)

# Our thread class:
class ClientThread(threading.Thread):

    # Override Thread's __init__ method to accept the parameters needed:
    def __init__(self, channel, details):
        self.channel = channel
        self.details = details
        threading.Thread.__init__(self)

    def run(self):
        print('Received connection:', self.details[0], flush=True)
        self.channel.send(pickledList)
        for x in range(10):
            print(self.channel.recv(1024), flush=True)
        self.channel.close()
        print('Closed connection:', self.details[0], flush=True)

# Set up the server:
if os.environ.get('LISTEN_FDS') == '1':
    server = socket.socket(fileno=3)
else:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('127.0.0.1', int(sys.argv[1]) if len(sys.argv) > 1 else 2727))
    server.listen(5)

# Have the server serve "forever":
while True:
    channel, details = server.accept()
    ClientThread(channel, details).start()
