"""Our direct dlib calls give the very encodings `face_recognition` computes (model="small")."""
from pathlib import Path

import numpy as np

from thr_frs import faces

FACES = Path(__file__).resolve().parent.parent / "fixtures" / "faces"


def test_encoding_equals_face_recognition_small_model():
    import face_recognition  # the reference library; imported here only (it loads the 68-point model)

    data = (FACES / "biden_1.jpg").read_bytes()
    pixels = faces.prepare_image(data)
    locations = face_recognition.face_locations(pixels, number_of_times_to_upsample=faces.HOG_UPSAMPLE, model="hog")
    assert len(locations) == 1
    reference = face_recognition.face_encodings(pixels, known_face_locations=locations, model="small")[0]
    ours = faces.encode_face(data)
    assert np.allclose(ours, reference, atol=1e-6)
