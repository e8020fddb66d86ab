# gunicorn -c site/deploy/gunicorn.conf.py config.wsgi
bind = "127.0.0.1:8001"
workers = 3
timeout = 60
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"
