"""A Python user's session with HdfsCLI (the `hdfs` package) against a
WebHDFS URL: upload, download, list, status, read ranges, rename, delete.
Prints one JSON object with what each call returned, for the test to check.
Usage: python hdfscli_session.py URL USER LOCAL_DIR"""
import json
import os
import sys

from hdfs import InsecureClient
from hdfs.util import HdfsError

url, user, local = sys.argv[1], sys.argv[2], sys.argv[3]
client = InsecureClient(url, user=user)
out = {}

client.makedirs('/py/dir', permission='750')
out['upload'] = client.upload('/py/dir/data.bin', os.path.join(local, 'data.bin'))
client.write('/py/dir/text.txt', data='hello from python\n', encoding='utf-8')
client.write('/py/dir/text.txt', data='more\n', encoding='utf-8', append=True)
out['list'] = client.list('/py/dir')
out['list_status'] = [[name, s['type'], s['length'], s['owner'], s['permission']] for name, s in client.list('/py/dir', status=True)]
out['status'] = client.status('/py/dir/data.bin')
out['status_missing'] = client.status('/py/nope', strict=False)
out['content'] = client.content('/py/dir')
with client.read('/py/dir/text.txt', encoding='utf-8') as reader:
    out['text'] = reader.read()
with client.read('/py/dir/data.bin', offset=1000, length=70000) as reader:
    out['range_hex_len'] = len(reader.read())
out['download'] = client.download('/py/dir/data.bin', os.path.join(local, 'data.back'))
client.rename('/py/dir/text.txt', '/py/dir/renamed.txt')
client.set_permission('/py/dir/renamed.txt', '600')
out['renamed'] = client.status('/py/dir/renamed.txt')['permission']
try:
    client.delete('/py/dir', recursive=False)
    out['delete_nonempty'] = 'no error'
except HdfsError as e:
    out['delete_nonempty'] = str(e).split('\n')[0]
try:
    client.status('/py/dir/absent')
except HdfsError as e:
    out['missing_error'] = str(e)
out['delete'] = client.delete('/py/dir', recursive=True)
out['after_delete'] = client.status('/py/dir', strict=False)
print(json.dumps(out))
