"""Draws the site's link-preview image (og:image): 1200×630, the brand name and tagline on the brand colour.

Made here with Pillow and committed (site/static/img/og-image.png); run again after a change of brand colour.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (0x0B, 0x4F, 0x8A)  # --brand in site/static/css/site.css
BRAND_DARK = (0x08, 0x3A, 0x66)
FONTS = Path("/usr/share/fonts/truetype/dejavu")
OUT = Path(__file__).resolve().parent.parent / "site" / "static" / "img" / "og-image.png"


def main():
    image = Image.new("RGB", (1200, 630), BRAND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 630), fill=BRAND_DARK)
    draw.rectangle((96, 250, 200, 258), fill=(255, 255, 255))
    name = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 104)
    draw.text((96, 130), "Ansatte", font=name, fill="white")
    tagline = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 46)
    draw.text((96, 300), "Trygt HR for danske virksomheder", font=tagline, fill="white")
    small = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 30)
    draw.text((96, 390), "Totrinslogin · kryptering · maskeret CPR", font=small, fill=(214, 228, 242))
    draw.text((96, 578), "ansatte.dk", font=small, fill=(214, 228, 242))
    image.save(OUT, optimize=True)


if __name__ == "__main__":
    main()
