# seed_client.py - the seed's client, ported to Python 3 and kept for
# comparison with client.c (python3 seed_client.py PORT; default 2727).
# Unpickling is safe here only because we trust the server we wrote:
# pickle.loads() of a stranger's bytes can run any code they like.
import pickle
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 2727

# Connect to the server:
client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(('localhost', port))

# Retrieve and unpickle the list object:
print(pickle.loads(client.recv(1024)))

# Send some messages:
for x in range(10):
    client.send(('Hey. ' + str(x) + '\n').encode())

# Close the connection
client.close()
