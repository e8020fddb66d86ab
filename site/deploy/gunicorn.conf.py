# gunicorn -c site/deploy/gunicorn.conf.py config.wsgi
bind = "127.0.0.1:8001"
workers = 3
timeout = 60
accesslog = "-"
forwarded_allow_ips = "127.0.0.1"
# The access log never holds a CPR number, even one typed into the address by hand (config/access_log.py).
logger_class = "config.access_log.CprRedactingLogger"
